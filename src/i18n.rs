//! UI strings in Japanese (first) and English. Content text is not translated here:
//! a curriculum is written in one language, and English editions are their own files.

/// (key, Japanese, English). `{0}`, `{1}`… are replaced by arguments.
const STRINGS: &[(&str, &str, &str)] = &[
    ("app.name", "ACPワークブック", "ACP Workbook"),
    ("lang.switch", "表示言語", "Language"),
    ("nav.home", "トップページ", "Home"),
    ("nav.join", "テーブルで参加する", "Join as a table"),
    ("unit.min", "分", " min"),
    // Home
    ("home.title", "トップ", "Home"),
    (
        "home.lead",
        "人生会議（ACP）の多職種事例検討・勉強会を、テーブルごとの画面で進めるためのワークブックです。",
        "A workbook for multidisciplinary advance care planning (ACP) case reviews and study sessions, run on one shared screen per table.",
    ),
    ("home.join_button", "テーブルで参加する", "Join as a table"),
    ("home.sessions", "研修会・勉強会", "Sessions"),
    (
        "home.no_sessions",
        "まだ研修会はありません。下の教育プログラムから準備してください。",
        "No sessions yet. Prepare one from a curriculum below.",
    ),
    (
        "home.facilitate",
        "ファシリテーター画面",
        "Facilitator view",
    ),
    ("home.record", "記録", "Record"),
    ("home.curricula", "教育プログラム", "Curricula"),
    // Curriculum and steps
    ("curriculum.minutes", "{0}分", "{0} min"),
    ("curriculum.steps", "{0}ステップ", "{0} steps"),
    ("curriculum.objectives", "学習目標", "Learning objectives"),
    ("curriculum.audience", "対象職種", "Audience"),
    ("curriculum.timetable", "進行表", "Timetable"),
    ("step.title", "ステップ", "Step"),
    ("step.kind", "種類", "Kind"),
    ("step.minutes", "時間（分）", "Minutes"),
    ("step.case", "事例", "Case"),
    ("kind.lecture", "講義", "Lecture"),
    ("kind.case-walk", "事例を読む", "Case walk"),
    ("kind.group-work", "グループワーク", "Group work"),
    ("kind.reflection", "ふりかえり", "Reflection"),
    ("kind.survey", "アンケート", "Survey"),
    ("kind.plenary", "全体発表", "Plenary report"),
    // Sessions
    (
        "session.new",
        "この教育プログラムで研修会を準備する",
        "Prepare a session of this curriculum",
    ),
    ("session.title", "研修会の名前", "Session title"),
    ("session.held_on", "開催日", "Date"),
    ("session.place", "会場", "Place"),
    (
        "session.tables",
        "テーブル（グループ）の数",
        "Number of tables",
    ),
    ("session.create", "研修会をつくる", "Create the session"),
    ("session.status", "状態", "Status"),
    ("session.open", "開催中", "Open"),
    ("session.closed", "終了", "Closed"),
    (
        "form.fix",
        "次の点を直してください。",
        "Please correct the following.",
    ),
    (
        "form.err_title",
        "研修会の名前を200文字以内で入れてください。",
        "Enter a session title of at most 200 characters.",
    ),
    (
        "form.err_place",
        "会場は200文字以内で入れてください。",
        "Keep the place to at most 200 characters.",
    ),
    (
        "form.err_date",
        "開催日を 2026-11-30 の形で入れてください。",
        "Enter the date as 2026-11-30.",
    ),
    (
        "form.err_tables",
        "テーブルの数は1から{0}までの数で入れてください。",
        "Enter a number of tables from 1 to {0}.",
    ),
    // Facilitator
    ("fac.title", "ファシリテーター", "Facilitator"),
    ("fac.join_code", "参加コード", "Join code"),
    (
        "fac.join_how",
        "各テーブルの画面で「テーブルで参加する」を開き、このコードとテーブル番号を入れます。",
        "On each table's screen, open “Join as a table” and enter this code and the table number.",
    ),
    ("fac.step_of", "ステップ {0} / {1}", "Step {0} of {1}"),
    ("fac.prev", "前のステップ", "Previous step"),
    ("fac.next", "次のステップへ", "Next step"),
    ("fac.refresh", "最新の状態に更新", "Refresh"),
    ("fac.steps", "進行", "Steps"),
    ("fac.tables", "テーブル", "Tables"),
    ("fac.not_joined", "未参加", "Not joined"),
    ("fac.not_started", "まだ記入なし", "Not started"),
    ("fac.started", "記入あり", "Answering"),
    ("fac.notes", "ファシリテーターへのメモ", "Facilitator notes"),
    (
        "fac.step_text",
        "テーブルに表示している本文",
        "Text shown to tables",
    ),
    ("fac.paths", "各テーブルの進み方", "Each table's path"),
    (
        "fac.all_cards",
        "すべての職種別情報と場面のメモ",
        "All role cards and scene notes",
    ),
    ("fac.close_title", "研修会を終了する", "Close the session"),
    (
        "fac.close_confirm",
        "終了すると、テーブルは記入できなくなります（記録は残ります）。",
        "After closing, tables can no longer write (the record stays).",
    ),
    ("fac.close", "終了する", "Close"),
    (
        "fac.closed",
        "この研修会は終了しました。",
        "This session has ended.",
    ),
    (
        "fac.record_link",
        "研修会の記録を見る",
        "View the session record",
    ),
    // Join and roster
    ("join.title", "テーブルで参加する", "Join as a table"),
    (
        "join.lead",
        "ファシリテーターが示す参加コードと、あなたのテーブルの番号を入れてください。",
        "Enter the join code shown by the facilitator and your table's number.",
    ),
    ("join.code", "参加コード", "Join code"),
    ("join.table", "テーブル番号", "Table number"),
    ("join.submit", "参加する", "Join"),
    (
        "roster.title",
        "このテーブルにいる職種",
        "Professions at this table",
    ),
    (
        "roster.lead",
        "このテーブルに座っている職種をすべて選んでください。選んだ職種の「職種別情報」が画面に表示されます。",
        "Tick every profession sitting at this table. The role cards of those professions will be shown.",
    ),
    ("roster.submit", "決定する", "Confirm"),
    // Table screen
    ("table.name", "テーブル{0}", "Table {0}"),
    ("table.roster", "職種", "Professions"),
    ("table.roster_change", "変更", "Change"),
    (
        "table.closed",
        "この研修会は終了しました。記入した内容は記録として残っています。",
        "This session has ended. What you wrote is kept in the record.",
    ),
    ("table.refresh", "画面を更新", "Refresh"),
    (
        "table.refresh_help",
        "ファシリテーターが次のステップに進んだら、画面を更新してください。",
        "When the facilitator moves on, refresh this screen.",
    ),
    ("card.for", "{0}の情報", "{0}'s information"),
    (
        "card.absent",
        "このテーブルには{0}がいないため、{0}の視点の情報はありません。",
        "Nobody at this table is a {0}, so nobody here holds that view.",
    ),
    ("case.people", "本人と家族", "The person and family"),
    ("case.patient", "本人", "Patient"),
    ("case.age", "{0}歳", "age {0}"),
    ("case.illness", "病状", "Illness"),
    ("case.living", "暮らし", "Living situation"),
    ("case.care_level", "要介護度", "Care level"),
    (
        "case.said",
        "本人が話していたこと",
        "What the person has said",
    ),
    ("case.relation", "続柄", "Relation"),
    ("case.stance", "思い", "Stance"),
    ("case.lives_with", "同居", "Lives with"),
    ("case.lives_apart", "別居", "Lives apart"),
    ("case.surrogate", "本人の意思を推定する人", "Surrogate"),
    ("case.team", "関わる職種", "Care team"),
    ("walk.next", "次の場面へ：{0}", "Next scene: {0}"),
    (
        "walk.branch_help",
        "テーブルで話し合って、この事例がどう進むかを一つ選んでください。",
        "Discuss at your table and choose how the case goes on.",
    ),
    ("walk.choose", "この選択で進む", "Go on with this choice"),
    (
        "walk.end",
        "このステップの場面はここまでです。ファシリテーターの案内を待ってください。",
        "This is the last scene of this step. Wait for the facilitator.",
    ),
    ("walk.via", "選択：{0}", "Chosen: {0}"),
    // Prompts and answers
    ("prompt.mark", "問い", "Q"),
    ("prompt.limit", "{0}文字まで", "Up to {0} characters"),
    ("prompt.single", "一つ選んでください", "Choose one"),
    (
        "prompt.multiple",
        "当てはまるものをすべて選んでください",
        "Choose all that apply",
    ),
    (
        "answer.save",
        "グループの結論を保存",
        "Save the group's conclusion",
    ),
    (
        "answer.saved_at",
        "{0} に保存（第{1}版）",
        "Saved at {0} (version {1})",
    ),
    (
        "answer.not_saved",
        "まだ保存されていません",
        "Not saved yet",
    ),
    ("answer.none", "未回答", "No answer yet"),
    (
        "conflict.title",
        "別の端末が先に保存しました",
        "Another device saved first",
    ),
    (
        "conflict.lead",
        "同じテーブルの別の端末が、この問いの新しい内容を保存していました。どちらも失われていません。二つを見比べて、まとめてから保存してください。",
        "Another device of this table saved a newer answer to this question. Nothing is lost: compare both, merge them, then save.",
    ),
    (
        "conflict.theirs",
        "保存されている内容（{0}・第{1}版）",
        "Saved answer ({0}, version {1})",
    ),
    (
        "conflict.mine",
        "この端末で入力した内容",
        "What you typed on this device",
    ),
    ("conflict.merge", "まとめた内容", "Merged answer"),
    ("conflict.save", "この内容で保存", "Save this"),
    (
        "conflict.keep_theirs",
        "保存されている内容のままにする",
        "Keep the saved answer",
    ),
    // Record
    ("record.title", "研修会の記録", "Session record"),
    ("record.tables", "テーブルと職種", "Tables and professions"),
    ("record.path", "進んだ場面", "Scenes walked"),
    (
        "record.no_path",
        "このステップの場面には進んでいません",
        "Did not walk this step",
    ),
    // Errors
    (
        "status.400",
        "入力を確認してください",
        "Please check your input",
    ),
    ("status.404", "見つかりません", "Not found"),
    ("status.409", "保存できませんでした", "Could not save"),
    (
        "status.410",
        "この研修会は終了しています",
        "This session has ended",
    ),
    ("status.413", "長すぎます", "Too long"),
    (
        "status.422",
        "入力を確認してください",
        "Please check your input",
    ),
    (
        "status.500",
        "サーバーで問題が起きました",
        "Something went wrong on the server",
    ),
    (
        "err.kept_title",
        "入力した内容（保存されていません）",
        "What you typed (not saved)",
    ),
    (
        "err.kept_help",
        "必要ならコピーしてから、前の画面に戻ってください。",
        "Copy it if you need it, then go back.",
    ),
    (
        "err.page",
        "このページはありません。アドレスを確かめてください。",
        "There is no such page. Check the address.",
    ),
    (
        "err.internal",
        "少し待ってからもう一度試してください。続く場合は、会場の担当者に知らせてください。これまでに保存された内容は失われていません。",
        "Please try again in a moment. If it keeps happening, tell the organizer. Everything saved so far is kept.",
    ),
    (
        "err.form",
        "送られた内容を読み取れませんでした。画面を更新して、もう一度入力してください。",
        "The form could not be read. Refresh the page and enter it again.",
    ),
    (
        "err.too_large",
        "送られた内容が大きすぎます。文章を短くして、もう一度保存してください。",
        "What was sent is too large. Shorten the text and save again.",
    ),
    (
        "err.too_long",
        "答えが{0}文字あります。この問いは{1}文字までです。短くしてから保存してください。",
        "The answer has {0} characters; this question takes up to {1}. Shorten it and save again.",
    ),
    (
        "err.out_of_range",
        "{0}から{1}までの中から選んでください。",
        "Choose a value from {0} to {1}.",
    ),
    (
        "err.curriculum",
        "その教育プログラムはありません。トップページから選び直してください。",
        "There is no such curriculum. Choose one from the home page.",
    ),
    (
        "err.session",
        "その研修会はありません。アドレスを確かめてください。",
        "There is no such session. Check the address.",
    ),
    (
        "err.facilitator_link",
        "このファシリテーター用リンクは正しくありません。研修会の準備をした人に確かめてください。",
        "This facilitator link is not valid. Ask the person who prepared the session.",
    ),
    (
        "err.join_code_empty",
        "参加コードを入れてください。",
        "Enter the join code.",
    ),
    (
        "err.join_code",
        "その参加コードの研修会はありません。ファシリテーターが示したコードを確かめて、もう一度入れてください。",
        "No session has that join code. Check the code the facilitator showed and enter it again.",
    ),
    (
        "err.session_closed",
        "この研修会はすでに終了しています。記入はできません。",
        "This session has already ended. No more answers can be written.",
    ),
    (
        "err.session_closed_save",
        "この研修会はすでに終了しているため、保存できませんでした。",
        "This session has ended, so the answer was not saved.",
    ),
    (
        "err.closed_facilitator",
        "この研修会は終了しているため、ステップを動かせません。",
        "This session has ended, so the steps cannot be changed.",
    ),
    (
        "err.table_range",
        "テーブル番号は1から{0}までです。テーブルに置かれた番号を確かめてください。",
        "Table numbers go from 1 to {0}. Check the number on your table.",
    ),
    (
        "err.table",
        "そのテーブルはありません。",
        "There is no such table.",
    ),
    (
        "err.table_link",
        "このテーブル用リンクは正しくありません。「テーブルで参加する」から参加コードで入り直してください。",
        "This table link is not valid. Join again with the join code.",
    ),
    (
        "err.profession",
        "知らない職種が送られました。画面を更新して選び直してください。",
        "An unknown profession was sent. Refresh and choose again.",
    ),
    (
        "err.roster_empty",
        "このテーブルにいる職種を一つ以上選んでください。",
        "Choose at least one profession at this table.",
    ),
    (
        "err.not_current_step",
        "この問いは今のステップのものではないため、保存できませんでした。ファシリテーターが次に進んだ可能性があります。画面を更新してください。",
        "This question is not part of the current step, so the answer was not saved. The facilitator may have moved on: refresh the screen.",
    ),
    (
        "err.no_such_step",
        "そのステップはありません。",
        "There is no such step.",
    ),
    (
        "err.branch_option",
        "選択肢を一つ選んでから進んでください。",
        "Choose one of the options before going on.",
    ),
    (
        "err.walk_end",
        "このステップの場面はここまでです。",
        "This step has no further scene.",
    ),
    (
        "err.close_confirm",
        "終了してよいことを確認するチェックを入れてください。",
        "Tick the box to confirm closing the session.",
    ),
];

/// The string for `key` in `lang`, if there is one.
pub fn text(lang: &str, key: &str) -> Option<&'static str> {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ja, en)| if lang == "en" { *en } else { *ja })
}

/// The string for `key` with `{0}`, `{1}`… replaced; the key itself if unknown.
pub fn format(lang: &str, key: &str, args: &[String]) -> String {
    let mut out = text(lang, key).unwrap_or(key).to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// Every key, for the test that templates only use known keys.
pub fn keys() -> impl Iterator<Item = &'static str> {
    STRINGS.iter().map(|(k, _, _)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(std::fs::read_to_string(&path).expect("file"));
            }
        }
    }

    /// Every literal key used by templates and handlers has both languages.
    #[test]
    fn every_used_key_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        files(&root.join("templates"), "html", &mut texts);
        files(&root.join("src/server"), "rs", &mut texts);
        let mut used = Vec::new();
        for text in &texts {
            for part in text.split('"').skip(1).step_by(2) {
                let prefixes = [
                    "err.", "form.err", "status.", "answer.", "fac.", "table.", "case.", "walk.",
                    "join.", "home.",
                ];
                if prefixes.iter().any(|p| part.starts_with(p))
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                    && !part.ends_with('.')
                    && !part.ends_with(".html")
                {
                    used.push(part.to_string());
                }
            }
        }
        assert!(used.len() > 40, "the scan found the keys: {used:?}");
        let missing: Vec<_> = used.iter().filter(|k| text("ja", k).is_none()).collect();
        assert!(missing.is_empty(), "keys without strings: {missing:?}");
        let mut all: Vec<_> = keys().collect();
        all.sort_unstable();
        let before = all.len();
        all.dedup();
        assert_eq!(before, all.len(), "a key is defined twice");
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(format("ja", "table.name", &["3".into()]), "テーブル3");
        assert_eq!(format("en", "table.name", &["3".into()]), "Table 3");
        assert_eq!(format("en", "no.such.key", &[]), "no.such.key");
    }
}
