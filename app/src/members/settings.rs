use super::api::{load_settings, ChangeMyPassword, RenameMe};
use super::{signed_in_page, use_query, use_slug};
use crate::account::SignOutButtons;
use crate::form::{field_sentence, form_sentence, password_sentence, Field};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::members::{AccountSettings, WRONG_PASSWORD};
use model::time::utc_minute;

/// `/w/<slug>/settings`: my name, my password, where I am signed in.
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
    let changed = use_query("changed");
    let rename_error = move || rename.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("your name");
        rename_error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| known.iter().any(|k| k == m),
                "Check your name.",
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
                    <td>{utc_minute(x.created_at)}</td>
                    <td>{utc_minute(x.last_seen_at)}</td>
                    <td>{x.current.then_some("this browser")}</td>
                </tr>
            }
        })
        .collect_view();
    let (slug_a, slug_b) = (slug.clone(), slug.clone());
    view! {
        <Title text="Your settings" />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>"← Home"</a></p>
            <h1>"Your settings"</h1>
            <p id="settings-who">{format!("{} · {} · {}", s.name, s.email, s.role.as_str())}</p>
            <p id="settings-error" class="field-error" role="alert">{form_error}</p>
            <div class="card">
                <h2>"Name"</h2>
                <ActionForm action=rename>
                    <input type="hidden" name="slug" value=slug_a />
                    <label for="settings-name">"Your name"</label>
                    <input id="settings-name" name="name" value=s.name.clone() autocomplete="name" />
                    <p id="settings-name-error" class="field-error">{name_error}</p>
                    <button type="submit">"Save the name"</button>
                </ActionForm>
            </div>
            <div class="card">
                <h2>"Password"</h2>
                <Show when=password_changed>
                    <p id="password-changed" role="status">
                        "Your password is changed. Your other sessions have ended."
                    </p>
                </Show>
                <ActionForm action=password>
                    <input type="hidden" name="slug" value=slug_b />
                    <Field
                        id="settings-current-password"
                        name="current_password"
                        label="Current password"
                        error=current_error
                        autocomplete="current-password"
                        input_type="password"
                    />
                    <Field
                        id="settings-new-password"
                        name="new_password"
                        label="New password (12 characters or more)"
                        error=new_error
                        autocomplete="new-password"
                        input_type="password"
                    />
                    <button type="submit">"Change the password"</button>
                </ActionForm>
            </div>
            <h2>"Where you are signed in"</h2>
            <table id="sessions">
                <thead><tr><th>"Signed in"</th><th>"Last seen"</th><th></th></tr></thead>
                <tbody>{sessions}</tbody>
            </table>
            <SignOutButtons slug=slug />
        </section>
    }
}
