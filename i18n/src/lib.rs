//! Every sentence the product shows or mails, in English and French.
//!
//! The sentences are in `locales/<language>/<namespace>.json`; `build.rs` turns them into a
//! typed module (leptos_i18n), so a key used in code that a language lacks does not compile.
//! Pages use `t!(i18n, namespace.key)` under the context [`provide`] sets up; code without a
//! reactive context (mails) uses `td_string!(locale, namespace.key, ...)`.

/// The module leptos_i18n generates; lints are for code people write.
#[allow(clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n::*;

use leptos::prelude::*;
use model::Language;

impl From<Language> for Locale {
    fn from(language: Language) -> Self {
        match language {
            Language::En => Locale::en,
            Language::Fr => Locale::fr,
        }
    }
}

impl From<Locale> for Language {
    fn from(locale: Locale) -> Self {
        match locale {
            Locale::en => Language::En,
            Locale::fr => Language::Fr,
        }
    }
}

/// Sets up translations for the components below in `language`, the one the server chose for
/// this request (and wrote into `<html lang>`, where the browser reads it back on hydration).
pub fn provide(language: Language) {
    let context = leptos_i18n::context::init_i18n_subcontext_with_options::<Locale>(
        Some(Signal::stored(Locale::from(language))),
        None,
        None,
        None,
    );
    provide_context(context);
}

/// A role's name as people read it in `language` (`Role::as_str` stays what forms send).
pub fn role_name(role: model::Role, language: Language) -> &'static str {
    let locale = Locale::from(language);
    match role {
        model::Role::Owner => td_string!(locale, common.roles.owner),
        model::Role::Admin => td_string!(locale, common.roles.admin),
        model::Role::Editor => td_string!(locale, common.roles.editor),
        model::Role::Viewer => td_string!(locale, common.roles.viewer),
    }
}

/// An audit entry's action (`sign_in`, stored as a code) as people read it in `language`; a
/// code this list does not know yet reads with spaces for underscores.
pub fn audit_action(code: &str, language: Language) -> String {
    let locale = Locale::from(language);
    let words = match code {
        "branding_changed" => td_string!(locale, common.audit.branding_changed),
        "dashboard_deleted" => td_string!(locale, common.audit.dashboard_deleted),
        "dashboard_saved" => td_string!(locale, common.audit.dashboard_saved),
        "device_changed" => td_string!(locale, common.audit.device_changed),
        "device_created" => td_string!(locale, common.audit.device_created),
        "device_deleted" => td_string!(locale, common.audit.device_deleted),
        "devices_imported" => td_string!(locale, common.audit.devices_imported),
        "grant_changed" => td_string!(locale, common.audit.grant_changed),
        "grant_removed" => td_string!(locale, common.audit.grant_removed),
        "group_created" => td_string!(locale, common.audit.group_created),
        "group_deleted" => td_string!(locale, common.audit.group_deleted),
        "invitation_accepted" => td_string!(locale, common.audit.invitation_accepted),
        "invitation_sent" => td_string!(locale, common.audit.invitation_sent),
        "invitation_withdrawn" => td_string!(locale, common.audit.invitation_withdrawn),
        "member_removed" => td_string!(locale, common.audit.member_removed),
        "operator_created" => td_string!(locale, common.audit.operator_created),
        "password_changed" => td_string!(locale, common.audit.password_changed),
        "password_reset" => td_string!(locale, common.audit.password_reset),
        "password_reset_requested" => td_string!(locale, common.audit.password_reset_requested),
        "role_changed" => td_string!(locale, common.audit.role_changed),
        "sign_in" => td_string!(locale, common.audit.sign_in),
        "sign_in_failed" => td_string!(locale, common.audit.sign_in_failed),
        "sign_out_everywhere" => td_string!(locale, common.audit.sign_out_everywhere),
        "template_kept" => td_string!(locale, common.audit.template_kept),
        "template_removed" => td_string!(locale, common.audit.template_removed),
        "widget_exported" => td_string!(locale, common.audit.widget_exported),
        "workspace_created" => td_string!(locale, common.audit.workspace_created),
        "workspace_exported" => td_string!(locale, common.audit.workspace_exported),
        "workspace_source_changed" => td_string!(locale, common.audit.workspace_source_changed),
        other => return other.replace('_', " "),
    };
    words.to_string()
}

/// The language of the page being drawn.
///
/// English where no page is being drawn (a unit test, code outside the component tree).
pub fn use_language() -> Language {
    use_context::<leptos_i18n::I18nContext<Locale>>()
        .map(|i18n| i18n.get_locale_untracked().into())
        .unwrap_or_default()
}

/// The `server` namespace as (English, French) templates, `{{ name }}` marking a variable.
static SERVER_MESSAGES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/server_messages.rs"));

/// A template cut at its variables: literal, name, literal, name, …, literal.
fn parts(template: &str) -> (Vec<&str>, Vec<&str>) {
    let (mut literals, mut names) = (Vec::new(), Vec::new());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        literals.push(&rest[..open]);
        names.push(rest[open + 2..open + close].trim());
        rest = &rest[open + close + 2..];
    }
    literals.push(rest);
    (literals, names)
}

/// The values of `template`'s variables when `message` is that template filled in.
fn captures<'m>(template: &str, message: &'m str) -> Option<Vec<(String, &'m str)>> {
    let (literals, names) = parts(template);
    let first = literals[0];
    let last = *literals.last()?;
    if names.is_empty() {
        return (message == first).then(Vec::new);
    }
    let inner = message.strip_prefix(first)?;
    if inner.len() < last.len() || !inner.ends_with(last) {
        return None;
    }
    let mut rest = &inner[..inner.len() - last.len()];
    let mut values = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let value = match literals.get(i + 1) {
            Some(literal) if i + 1 < names.len() => {
                let at = rest.find(literal).filter(|&at| at > 0)?;
                let value = &rest[..at];
                rest = &rest[at + literal.len()..];
                value
            }
            _ => std::mem::take(&mut rest),
        };
        if value.is_empty() {
            return None;
        }
        values.push((name.to_string(), value));
    }
    Some(values)
}

/// A message the server wrote in English (an input check, a "not found"), in `language`:
/// the `server` template it fills, in that language, with each variable's value translated
/// again when it is itself a known phrase. `None` when no template matches (the message is
/// then shown as it is) or for English.
pub fn server_message(message: &str, language: Language) -> Option<String> {
    match language {
        Language::En => None,
        Language::Fr => translate(message, Direction::ToFrench, 2),
    }
}

/// The English a French server message was translated from (the reverse of
/// [`server_message`]), so a page can tell a known message when it comes back in French.
pub fn english_of(message: &str) -> Option<String> {
    translate(message, Direction::ToEnglish, 2)
}

/// The variables whose values are sentences or phrases the server wrote itself (a reason, a
/// problem, the name of a field), translated in turn.
const PHRASE_SLOTS: &[&str] = &["what", "what_capitalised", "problem", "reason", "error"];

#[derive(Clone, Copy)]
enum Direction {
    ToFrench,
    ToEnglish,
}

fn translate(message: &str, direction: Direction, depth: u8) -> Option<String> {
    // The template with the most literal text wins (the most specific).
    let (target, values) = SERVER_MESSAGES
        .iter()
        .map(|&(english, french)| match direction {
            Direction::ToFrench => (english, french),
            Direction::ToEnglish => (french, english),
        })
        .filter_map(|(source, target)| Some((source, target, captures(source, message)?)))
        .max_by_key(|(source, _, values)| {
            source.len()
                - values
                    .iter()
                    .map(|(n, _)| n.len() + 6)
                    .sum::<usize>()
                    .min(source.len())
        })
        .map(|(_, target, values)| (target, values))?;
    let mut out = target.to_string();
    for (name, value) in values {
        // Only a slot that holds one of our own sentences is translated again; ids, names and
        // what people typed stay as they are.
        let shown = if depth > 0 && PHRASE_SLOTS.contains(&name.as_str()) {
            translate(value, direction, depth - 1).unwrap_or_else(|| value.to_string())
        } else {
            value.to_string()
        };
        for marker in [format!("{{{{ {name} }}}}"), format!("{{{{{name}}}}}")] {
            out = out.replace(&marker, &shown);
        }
    }
    Some(out)
}

/// `error` with its message in `language` where the server wrote one in English.
pub fn localize_error(error: model::ApiError, language: Language) -> model::ApiError {
    use model::ApiError;
    match error {
        ApiError::Invalid { field, message } => ApiError::Invalid {
            message: server_message(&message, language).unwrap_or(message),
            field,
        },
        ApiError::NotFound { message } => ApiError::NotFound {
            message: server_message(&message, language).unwrap_or(message),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_capture_their_variables() {
        assert_eq!(captures("Enter a name.", "Enter a name."), Some(vec![]));
        assert_eq!(captures("Enter a name.", "Enter a slug."), None);
        assert_eq!(
            captures("No device “{{ id }}”.", "No device “t-1”."),
            Some(vec![("id".to_string(), "t-1")])
        );
        assert_eq!(
            captures(
                "{{ what }} must be at most {{ max }} characters.",
                "Your name must be at most 100 characters."
            ),
            Some(vec![
                ("what".to_string(), "Your name"),
                ("max".to_string(), "100")
            ])
        );
        assert_eq!(captures("No device “{{ id }}”.", "No device “”."), None);
        assert_eq!(captures("Enter {{ what }}.", "Enter"), None);
    }

    #[test]
    fn every_server_template_matches_itself_and_keeps_its_variables() {
        assert!(
            SERVER_MESSAGES.len() > 100,
            "the server's messages are read"
        );
        for (english, french) in SERVER_MESSAGES {
            let (_, en_names) = parts(english);
            let (_, fr_names) = parts(french);
            let mut en_sorted = en_names.clone();
            let mut fr_sorted = fr_names.clone();
            en_sorted.sort();
            fr_sorted.sort();
            assert_eq!(en_sorted, fr_sorted, "{english}");
            let filled = en_names
                .iter()
                .enumerate()
                .fold(english.to_string(), |t, (i, n)| {
                    t.replace(&format!("{{{{ {n} }}}}"), &format!("x{i}"))
                });
            assert!(
                translate(&filled, Direction::ToFrench, 0).is_some(),
                "{english} does not match its own text {filled}"
            );
            let back = translate(&filled, Direction::ToFrench, 0)
                .and_then(|french| translate(&french, Direction::ToEnglish, 0));
            assert!(back.is_some(), "{french} does not match its own text");
        }
    }

    #[test]
    fn server_messages_come_out_in_french_phrases_included() {
        let fr = |m: &str| server_message(m, Language::Fr);
        assert_eq!(
            fr("Enter your name.").as_deref(),
            Some("Saisissez votre nom.")
        );
        assert_eq!(
            fr("Your name must be at most 100 characters.").as_deref(),
            Some("Votre nom doit comporter 100 caractères au plus.")
        );
        assert_eq!(
            fr("A password needs at least 12 characters.").as_deref(),
            Some("Un mot de passe doit comporter au moins 12 caractères.")
        );
        // The fixed sentence wins over the template it also fills ("Enter {{ what }}.").
        assert_eq!(
            fr("Enter an e-mail address.").as_deref(),
            Some("Saisissez une adresse e-mail.")
        );
        // And back, so a page can recognise a message it knows.
        assert_eq!(
            english_of("Saisissez votre nom.").as_deref(),
            Some("Enter your name.")
        );
    }

    #[test]
    fn what_people_typed_is_not_translated() {
        // "your name" is a phrase of ours, but here it is what someone searched for.
        let fr = server_message("No workspace is called “your name”.", Language::Fr);
        assert!(
            fr.as_deref()
                .is_some_and(|f| f.contains("your name") && !f.contains("votre nom")),
            "{fr:?}"
        );
    }

    #[test]
    fn audit_actions_read_as_words() {
        assert_eq!(audit_action("sign_in", Language::En), "Signed in");
        assert_eq!(
            audit_action("invitation_sent", Language::Fr),
            "Invitation envoyée"
        );
        assert_eq!(
            audit_action("workspace_moved", Language::Fr),
            "workspace moved"
        );
    }

    #[test]
    fn english_stays_as_written_and_unknown_messages_pass() {
        assert_eq!(server_message("Enter a name.", Language::En), None);
        assert_eq!(server_message("Nothing we ever wrote.", Language::Fr), None);
        let error = model::ApiError::invalid("x", "Nothing we ever wrote.");
        assert_eq!(localize_error(error.clone(), Language::Fr), error);
    }
}
