//! Page templates (minijinja), embedded in the binary, with the helpers they call.

use axum::response::Html;
use minijinja::value::{Rest, Value};
use minijinja::{Environment, State, UndefinedBehavior};

use crate::content::Profession;
use crate::i18n;
use crate::lang::Lang;
use crate::text::time::datetime;

/// Every template, embedded so the binary is a complete deployment.
/// Names end in `.html` so that minijinja escapes every value by default.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    (
        "prompt_kinds.html",
        include_str!("../templates/prompt_kinds.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    (
        "curriculum.html",
        include_str!("../templates/curriculum.html"),
    ),
    (
        "facilitator.html",
        include_str!("../templates/facilitator.html"),
    ),
    ("join.html", include_str!("../templates/join.html")),
    ("me.html", include_str!("../templates/me.html")),
    ("checkin.html", include_str!("../templates/checkin.html")),
    (
        "table_setup.html",
        include_str!("../templates/table_setup.html"),
    ),
    ("table.html", include_str!("../templates/table.html")),
    (
        "device_join.html",
        include_str!("../templates/device_join.html"),
    ),
    (
        "device_wait.html",
        include_str!("../templates/device_wait.html"),
    ),
    ("devices.html", include_str!("../templates/devices.html")),
    (
        "unprintable.html",
        include_str!("../templates/unprintable.html"),
    ),
    ("conflict.html", include_str!("../templates/conflict.html")),
    ("record.html", include_str!("../templates/record.html")),
    ("cell.html", include_str!("../templates/cell.html")),
    ("wall.html", include_str!("../templates/wall.html")),
    (
        "wall_tile.html",
        include_str!("../templates/wall_tile.html"),
    ),
    (
        "wall_detail.html",
        include_str!("../templates/wall_detail.html"),
    ),
    (
        "wall_detail_page.html",
        include_str!("../templates/wall_detail_page.html"),
    ),
    ("signin.html", include_str!("../templates/signin.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    (
        "projector.html",
        include_str!("../templates/projector.html"),
    ),
    ("runsheet.html", include_str!("../templates/runsheet.html")),
    ("qr_sheet.html", include_str!("../templates/qr_sheet.html")),
    ("roster.html", include_str!("../templates/roster.html")),
    ("typeup.html", include_str!("../templates/typeup.html")),
    ("seating.html", include_str!("../templates/seating.html")),
    (
        "seating_print.html",
        include_str!("../templates/seating_print.html"),
    ),
    ("report.html", include_str!("../templates/report.html")),
    ("groups.html", include_str!("../templates/groups.html")),
    ("reports.html", include_str!("../templates/reports.html")),
    ("preview.html", include_str!("../templates/preview.html")),
    (
        "programme_import.html",
        include_str!("../templates/programme_import.html"),
    ),
];

/// The template environment.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Builds the environment; fails only if a template does not parse.
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        env.add_function("t", translate);
        env.add_function("profession", profession_label);
        // The limits a three-field form shows, so the page and the server agree.
        env.add_global("OWN_HEADINGS_MAX", crate::content::OWN_HEADINGS_MAX);
        env.add_global("OWN_HEADING_LEN_MAX", crate::content::OWN_HEADING_LEN_MAX);
        env.add_filter("hm", crate::text::time::hm);
        env.add_filter("datetime", datetime);
        Ok(Self { env })
    }

    /// Renders a fragment for a live event (no language-dependent text inside).
    pub fn fragment(&self, name: &str, ctx: Value) -> Result<String, RenderError> {
        Ok(self.render(name, ctx)?.0)
    }

    /// Renders `name` with `ctx`; the page language must be in `ctx` as `lang`.
    pub fn render(&self, name: &str, ctx: Value) -> Result<Html<String>, RenderError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| RenderError::Missing {
                name: name.to_string(),
                source: e,
            })?;
        template
            .render(ctx)
            .map(Html)
            .map_err(|e| RenderError::Template {
                name: name.to_string(),
                detail: format!("{e:#}{}", e.display_debug_info()),
            })
    }
}

/// A page that could not be rendered: always a fault of ours (a template bug, or a
/// handler that left a value out of the context), never something the user can fix.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No template of that name is embedded (a typo in a handler or a missing entry in
    /// `TEMPLATES`).
    #[error("no template {name}")]
    Missing {
        /// The name the handler asked for.
        name: String,
        /// minijinja's report.
        source: minijinja::Error,
    },
    /// The template failed while rendering, e.g. a value missing under strict undefined.
    #[error("rendering {name}: {detail}")]
    Template {
        /// The template that failed.
        name: String,
        /// minijinja's message with the template line and the values in scope.
        detail: String,
    },
}

/// The `lang` of the page being rendered ("ja" or "en" in the context), Japanese when
/// it is missing.
fn page_lang(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(Lang::from_code))
        .unwrap_or_default()
}

/// `t("key", arg…)`: a UI string in the page's language.
fn translate(state: &State, key: &str, args: Rest<Value>) -> String {
    let args: Vec<String> = args.iter().map(|v| v.to_string()).collect();
    i18n::format(page_lang(state), key, &args)
}

/// `profession("visiting-nurse")`: the label in the page's language. A role the content
/// declares is looked up in the page's `roles` (a session page passes its snapshot's,
/// [`roles`]); an id known to neither is shown as itself.
fn profession_label(state: &State, id: &str) -> String {
    let lang = page_lang(state);
    if let Some(p) = Profession::builtin(id) {
        return p.label(lang).to_string();
    }
    state
        .lookup("roles")
        .and_then(|roles| roles.get_attr(id).ok())
        .and_then(|names| names.get_item(&Value::from(lang.pick(0, 1))).ok())
        .and_then(|name| name.as_str().map(str::to_string))
        .unwrap_or_else(|| id.to_string())
}

/// The declared roles of a library for a page's context (`roles => render::roles(&lib)`),
/// so that `profession(id)` names them.
pub fn roles(library: &crate::content::Library) -> Value {
    to_value(&library.professions.declared_labels())
}

/// Turns any serializable value into a template value (`context! { x => to_value(&x) }`).
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Lang` in a template's context (a curriculum's `language`, a page's `lang`)
    /// reads as its code, so `{{ c.language }}` and `p[lang]` work as they did with
    /// strings, and the page's `t()` finds the language again.
    #[test]
    fn a_lang_in_the_context_is_its_code() {
        let mut env = Environment::new();
        env.add_function("t", translate);
        env.add_template("x.html", "{{ lang }} {{ names[lang] }} {{ t('nav.home') }}")
            .expect("template");
        let names = std::collections::BTreeMap::from([("ja", "日本語"), ("en", "English")]);
        for (lang, out) in [
            (Lang::Ja, "ja 日本語 トップページ"),
            (Lang::En, "en English Home"),
        ] {
            let ctx = minijinja::context! { lang => to_value(&lang), names => to_value(&names) };
            let html = env.get_template("x.html").and_then(|t| t.render(ctx));
            assert_eq!(html.expect("render"), out);
        }
    }

    /// `profession(id)` names a built-in, a declared role from the page's `roles`, and
    /// any other id as itself.
    #[test]
    fn profession_names_declared_roles_from_the_page() {
        use crate::content::profession::{DeclaredRole, Professions};
        let role = crate::content::Profession::declared(&DeclaredRole {
            id: "dialysis-nurse".into(),
            ja: "透析室看護師".into(),
            en: "Dialysis unit nurse".into(),
            short: "透析看".into(),
            short_en: "Dialysis RN".into(),
            counts_as: "hospital-nurse".into(),
        });
        let library = crate::content::Library {
            professions: Professions::new(vec![(role, "cases/d.md".into())]),
            ..Default::default()
        };
        let mut env = Environment::new();
        env.add_function("profession", profession_label);
        env.add_template(
            "x.html",
            "{{ profession('msw') }}/{{ profession('dialysis-nurse') }}/{{ profession('gone') }}",
        )
        .expect("template");
        let render = |ctx| env.get_template("x.html").and_then(|t| t.render(ctx));
        let ja = minijinja::context! { lang => "ja", roles => roles(&library) };
        assert_eq!(
            render(ja).expect("render"),
            "医療ソーシャルワーカー（MSW）/透析室看護師/gone"
        );
        let en = minijinja::context! { lang => "en", roles => roles(&library) };
        assert_eq!(
            render(en).expect("render"),
            "Medical social worker (MSW)/Dialysis unit nurse/gone"
        );
        let without = minijinja::context! { lang => "ja" };
        assert!(
            render(without)
                .expect("render")
                .ends_with("/dialysis-nurse/gone")
        );
    }
}
