//! The purge of personal data: an answer without the free text a table typed.

use super::{Answer, CapacityItem, DecisionView, OptionView, Pick, PlanRow, StakeholderEntry};

/// `other:<typed name>` keeps only `other:`; a chosen person or profession stays.
fn who_without_name(who: &str) -> String {
    if who.starts_with("other:") {
        "other:".to_string()
    } else {
        who.to_string()
    }
}

impl Answer {
    /// The answer with every text the table typed blanked and its shape kept: texts
    /// become empty, four-box lists empty lists, a typed name (`other:…`) `other:`.
    /// Choices, scale points, the sheet view, weights, leanings, SURE answers, ranked
    /// cards, chosen people and ratings stay.
    pub fn without_free_text(&self) -> Answer {
        match self {
            Answer::Text { .. } => Answer::Text {
                text: String::new(),
            },
            Answer::Choice { .. } | Answer::Scale { .. } => self.clone(),
            Answer::FourBox { .. } => Answer::FourBox {
                medical: Vec::new(),
                preferences: Vec::new(),
                quality: Vec::new(),
                context: Vec::new(),
            },
            Answer::ConferenceSheet { view, .. } => Answer::ConferenceSheet {
                view: *view,
                medical: String::new(),
                person: String::new(),
                family: String::new(),
                best: String::new(),
                family_care: String::new(),
                next: String::new(),
            },
            Answer::DecisionTable { views } => Answer::DecisionTable {
                views: views
                    .iter()
                    .map(|v| DecisionView {
                        options: v
                            .options
                            .iter()
                            .map(|o| OptionView {
                                benefits: String::new(),
                                harms: String::new(),
                                ..o.clone()
                            })
                            .collect(),
                        ..v.clone()
                    })
                    .collect(),
            },
            Answer::ValuesRanking { picks } => Answer::ValuesRanking {
                picks: picks
                    .iter()
                    .map(|p| Pick {
                        card: p.card,
                        reason: String::new(),
                    })
                    .collect(),
            },
            Answer::StakeholderMap { entries } => Answer::StakeholderMap {
                entries: entries
                    .iter()
                    .map(|e| StakeholderEntry {
                        who: who_without_name(&e.who),
                        wants: String::new(),
                        fears: String::new(),
                        dissent: String::new(),
                    })
                    .collect(),
            },
            Answer::CapacityCheck { items } => {
                let mut items = items.clone();
                for item in items.all_mut() {
                    *item = CapacityItem {
                        rating: item.rating,
                        evidence: String::new(),
                    };
                }
                Answer::CapacityCheck { items }
            }
            Answer::ActionPlan { rows } => Answer::ActionPlan {
                rows: rows
                    .iter()
                    .map(|r| PlanRow {
                        who: who_without_name(&r.who),
                        what: String::new(),
                        when: String::new(),
                    })
                    .collect(),
            },
            // Headings a group wrote are free text too.
            Answer::ThreeField { lists } => Answer::ThreeField {
                lists: lists
                    .iter()
                    .filter_map(|l| {
                        l.of.as_ref()
                            .map(|of| super::HeadedList::of(of, String::new()))
                    })
                    .collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::fixtures::answers;
    use crate::answer::{CapacityItems, Rating, ViewWho};
    use crate::content::SheetView;

    /// Every string left in the answer's JSON, whatever its key.
    fn strings(answer: &Answer) -> Vec<String> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) if !s.is_empty() => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                serde_json::Value::Object(m) => m.values().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&serde_json::to_value(answer).expect("json"), &mut out);
        out
    }

    #[test]
    fn a_text_answer_is_blanked() {
        let a = Answer::Text {
            text: "山田さんの話".into(),
        };
        assert_eq!(
            a.without_free_text(),
            Answer::Text {
                text: String::new()
            }
        );
    }

    #[test]
    fn choices_and_scales_have_no_free_text() {
        for a in [
            Answer::Choice {
                selected: vec![0, 2],
            },
            Answer::Scale { value: 4 },
        ] {
            assert_eq!(a.without_free_text(), a);
        }
    }

    #[test]
    fn four_box_lists_become_empty() {
        let a = Answer::FourBox {
            medical: vec!["誤嚥性肺炎".into()],
            preferences: vec!["家に帰りたい".into()],
            quality: vec![],
            context: vec!["長男".into(), "夜間".into()],
        };
        assert_eq!(
            a.without_free_text(),
            Answer::FourBox {
                medical: vec![],
                preferences: vec![],
                quality: vec![],
                context: vec![],
            }
        );
    }

    #[test]
    fn a_conference_sheet_keeps_its_view() {
        let a = Answer::ConferenceSheet {
            view: SheetView::Back,
            medical: "m".into(),
            person: "p".into(),
            family: "f".into(),
            best: "b".into(),
            family_care: "c".into(),
            next: "n".into(),
        };
        let Answer::ConferenceSheet { view, .. } = &a.without_free_text() else {
            panic!("still a sheet");
        };
        assert_eq!(*view, SheetView::Back);
        assert!(strings(&a.without_free_text()) == ["conference-sheet", "back"]);
    }

    #[test]
    fn a_decision_table_keeps_weights_leanings_and_sure() {
        let view = |who| DecisionView {
            who,
            options: vec![OptionView {
                benefits: "食べられる".into(),
                harms: "むせる".into(),
                benefit_weight: Some(4),
                harm_weight: Some(2),
            }],
            leaning: Some(0),
            sure: [Some(true), Some(false), None, Some(true)],
        };
        let a = Answer::DecisionTable {
            views: vec![view(ViewWho::Person), view(ViewWho::Family)],
        };
        let Answer::DecisionTable { views } = a.without_free_text() else {
            panic!("still a table");
        };
        for (v, who) in views.iter().zip([ViewWho::Person, ViewWho::Family]) {
            let mut expected = view(who);
            expected.options[0].benefits.clear();
            expected.options[0].harms.clear();
            assert_eq!(*v, expected);
        }
    }

    #[test]
    fn a_ranking_keeps_its_cards() {
        let a = Answer::ValuesRanking {
            picks: vec![Pick {
                card: 2,
                reason: "母の願い".into(),
            }],
        };
        assert_eq!(
            a.without_free_text(),
            Answer::ValuesRanking {
                picks: vec![Pick {
                    card: 2,
                    reason: String::new()
                }]
            }
        );
    }

    #[test]
    fn a_stakeholder_map_keeps_chosen_people_and_drops_typed_names() {
        let entry = |who: &str| StakeholderEntry {
            who: who.into(),
            wants: "w".into(),
            fears: "f".into(),
            dissent: "d".into(),
        };
        let a = Answer::StakeholderMap {
            entries: vec![entry("family:0"), entry("other:山田")],
        };
        let blank = |who: &str| StakeholderEntry {
            who: who.into(),
            wants: String::new(),
            fears: String::new(),
            dissent: String::new(),
        };
        assert_eq!(
            a.without_free_text(),
            Answer::StakeholderMap {
                entries: vec![blank("family:0"), blank("other:")]
            }
        );
    }

    #[test]
    fn a_capacity_check_keeps_its_ratings() {
        let item = |rating| CapacityItem {
            rating,
            evidence: "説明を繰り返せた".into(),
        };
        let a = Answer::CapacityCheck {
            items: CapacityItems {
                understanding: item(Some(Rating::Kept)),
                appreciation: item(Some(Rating::Partial)),
                reasoning: item(None),
                expressing: item(Some(Rating::Unknown)),
            },
        };
        let Answer::CapacityCheck { items } = a.without_free_text() else {
            panic!("still a check");
        };
        let ratings: Vec<_> = items.all().iter().map(|i| i.rating).collect();
        assert_eq!(
            ratings,
            [
                Some(Rating::Kept),
                Some(Rating::Partial),
                None,
                Some(Rating::Unknown)
            ]
        );
        assert!(items.all().iter().all(|i| i.evidence.is_empty()));
    }

    #[test]
    fn an_action_plan_keeps_who_but_not_a_typed_name() {
        let a = Answer::ActionPlan {
            rows: vec![
                PlanRow {
                    who: "msw".into(),
                    what: "連絡".into(),
                    when: "明日".into(),
                },
                PlanRow {
                    who: "other:山田".into(),
                    what: "訪問".into(),
                    when: String::new(),
                },
            ],
        };
        let row = |who: &str| PlanRow {
            who: who.into(),
            what: String::new(),
            when: String::new(),
        };
        assert_eq!(
            a.without_free_text(),
            Answer::ActionPlan {
                rows: vec![row("msw"), row("other:")]
            }
        );
    }

    #[test]
    fn three_fields_are_blanked() {
        let a = Answer::ThreeField {
            lists: vec![
                super::super::HeadedList::of("worked", "a"),
                super::super::HeadedList::own("地域の課題", "b"),
                super::super::HeadedList::of("measures", "c"),
            ],
        };
        // The curriculum's heading ids stay; a group's own heading is typed text.
        assert_eq!(
            strings(&a.without_free_text()),
            ["three-field", "worked", "measures"]
        );
    }

    /// The fixture answers of every structured kind keep their kind and lose their text.
    #[test]
    fn no_typed_text_is_left_in_any_kind() {
        for a in answers() {
            let purged = a.without_free_text();
            assert_eq!(std::mem::discriminant(&purged), std::mem::discriminant(&a));
            // What a table typed is Japanese in the fixtures; what stays is ids and keys.
            let left = strings(&purged);
            assert!(
                left.iter().all(|s| s.is_ascii()),
                "typed text left in {left:?}"
            );
            assert!(strings(&a).iter().any(|s| !s.is_ascii()), "{a:?} has text");
            assert_eq!(purged.without_free_text(), purged, "idempotent");
        }
    }
}
