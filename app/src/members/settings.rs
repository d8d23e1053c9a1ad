use super::api::{load_settings, ChangeMyPassword, RenameMe};
use super::{signed_in_page, use_query, use_slug};
use crate::account::SignOutButtons;
use crate::form::{field_sentence, form_sentence, password_sentence, Field};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::members::{AccountSettings, WRONG_PASSWORD};
use model::{ApiError, Language};

/// `/w/<slug>/settings`: my name, my password, my language, where I am signed in.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let slug = use_slug();
    let rename = ServerAction::<RenameMe>::new();
    let password = ServerAction::<ChangeMyPassword>::new();
    let settings = Resource::new_blocking(
        move || (slug.get(), rename.version().get(), password.version().get()),
        |(slug, ..)| load_settings(slug),
    );
    signed_in_page(slug, settings, move |slug, s| {
        view! { <Settings s slug rename password /> }.into_any()
    })
}

#[component]
fn Settings(
    s: AccountSettings,
    slug: String,
    rename: ServerAction<RenameMe>,
    password: ServerAction<ChangeMyPassword>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let changed = use_query("changed");
    let language_saved = use_query("language");
    let rename_error = move || rename.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("your name");
        rename_error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| known.iter().any(|k| k == m),
                t_string!(i18n, settings.check_name),
            )
        })
    });
    let password_error = move || password.value().get().and_then(Result::err);
    let current_error = Signal::derive(move || {
        password_error().and_then(|e| {
            field_sentence(
                &e,
                "current_password",
                |m| m == WRONG_PASSWORD,
                WRONG_PASSWORD,
            )
        })
    });
    let new_error = Signal::derive(move || {
        password_error().and_then(|e| password_sentence(&e, "new_password"))
    });
    let form_error = move || {
        rename_error()
            .or_else(password_error)
            .and_then(|e| form_sentence(&e))
    };
    let password_changed =
        move || !changed.get().is_empty() || matches!(password.value().get(), Some(Ok(())));
    let sessions = s
        .sessions
        .into_iter()
        .map(|x| {
            view! {
                <tr>
                    <td>{language.utc_minute(x.created_at)}</td>
                    <td>{language.utc_minute(x.last_seen_at)}</td>
                    <td>{x.current.then_some(t!(i18n, settings.this_browser))}</td>
                </tr>
            }
        })
        .collect_view();
    let role = i18n::role_name(s.role, language);
    let (slug_a, slug_b, slug_c) = (slug.clone(), slug.clone(), slug.clone());
    let choices = Language::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code() selected=s.language == Some(l)>{l.own_name()}</option> })
        .collect_view();
    view! {
        <Title text=t_string!(i18n, settings.title) />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, settings.home)}</a></p>
            <h1>{t!(i18n, settings.title)}</h1>
            <p id="settings-who">{format!("{} · {} · {role}", s.name, s.email)}</p>
            <p id="settings-error" class="field-error" role="alert">{form_error}</p>
            <div class="card">
                <h2>{t!(i18n, settings.name_heading)}</h2>
                <ActionForm action=rename>
                    <input type="hidden" name="slug" value=slug_a />
                    <label for="settings-name">{t!(i18n, settings.your_name)}</label>
                    <input id="settings-name" name="name" value=s.name.clone() autocomplete="name" />
                    <p id="settings-name-error" class="field-error">{name_error}</p>
                    <button type="submit">{t!(i18n, settings.save_name)}</button>
                </ActionForm>
            </div>
            <div class="card">
                <h2>{t!(i18n, settings.language_heading)}</h2>
                <Show when=move || !language_saved.get().is_empty()>
                    <p id="language-saved" role="status">{t!(i18n, settings.language_saved)}</p>
                </Show>
                // A plain form: the page comes back whole, drawn in the new language.
                <form id="settings-language" method="post" action="/api/set_my_language">
                    <input type="hidden" name="slug" value=slug_c />
                    <label for="settings-language-choice">{t!(i18n, settings.language_label)}</label>
                    <select id="settings-language-choice" name="language">
                        <option value="" selected=s.language.is_none()>{t!(i18n, settings.language_browser)}</option>
                        {choices}
                    </select>
                    <button type="submit">{t!(i18n, settings.save_language)}</button>
                </form>
            </div>
            <div class="card">
                <h2>{t!(i18n, settings.password_heading)}</h2>
                <Show when=password_changed>
                    <p id="password-changed" role="status">
                        {t!(i18n, settings.password_changed)}
                    </p>
                </Show>
                <ActionForm action=password>
                    <input type="hidden" name="slug" value=slug_b />
                    <Field
                        id="settings-current-password"
                        name="current_password"
                        label=t_string!(i18n, settings.current_password)
                        error=current_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <Field
                        id="settings-new-password"
                        name="new_password"
                        label=t_string!(i18n, settings.new_password)
                        error=new_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <button type="submit">{t!(i18n, settings.change_password)}</button>
                </ActionForm>
            </div>
            <h2>{t!(i18n, settings.sessions_heading)}</h2>
            <table id="sessions">
                <thead><tr><th>{t!(i18n, settings.signed_in)}</th><th>{t!(i18n, settings.last_seen)}</th><th></th></tr></thead>
                <tbody>{sessions}</tbody>
            </table>
            <SignOutButtons slug=slug />
        </section>
    }
}

/// Saves the signed-in user's language (`en`, `fr`, or empty to follow the browser), keeps it
/// in the language cookie too (so pages outside the workspace speak it), and comes back to
/// the settings page, drawn afresh in that language.
#[server(prefix = "/api", endpoint = "set_my_language")]
pub async fn set_my_language(slug: String, language: String) -> Result<(), ApiError> {
    use crate::ssr::{fail, open_workspace, services};
    let language = match language.trim() {
        "" => None,
        code => Some(Language::parse(code).ok_or_else(|| {
            fail(backend::BackendError::invalid(
                "language",
                "Choose English, French, or your browser’s language.",
            ))
        })?),
    };
    let services = services()?;
    let ctx = open_workspace(&slug, model::access::Action::ManageOwnAccount).await?;
    backend::members::own::set_language(&ctx, &services.control, language)
        .await
        .map_err(fail)?;
    // Pages outside the workspace follow too; "as my browser" forgets the cookie.
    crate::ssr::append_header(
        http::header::SET_COOKIE,
        &model::language::set_cookie(language, services.cookie.secure),
    );
    leptos_axum::redirect(&format!("{}?language=saved", super::settings_path(&slug)));
    Ok(())
}
