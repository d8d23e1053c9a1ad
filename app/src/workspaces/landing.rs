use super::api::{CreateWorkspace, FindWorkspace, SendWorkspaceLinks};
use crate::form::{
    email_sentence, field_sentence, form_sentence, known_sentence, password_sentence, Field,
};
use crate::theme::use_theme;
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::account::{display_name_messages, EMAIL_MALFORMED, EMAIL_MESSAGES};
use model::workspace::is_slug_message;
use model::workspace::{FIND_EMPTY, FIND_MESSAGES, FIND_NOT_FOUND};
use model::ApiError;
use model::Slug;

/// The start page of the deployment: who the startup is, and the way into a workspace.
#[component]
pub fn Landing() -> impl IntoView {
    let theme = use_theme();
    let i18n = use_i18n();
    let find = ServerAction::<FindWorkspace>::new();
    let query_error = Signal::derive(move || {
        find.value().get().and_then(Result::err).map(|e| match e {
            ApiError::NotFound { .. } => {
                crate::form::in_language(FIND_NOT_FOUND, i18n::use_language())
            }
            other => known_sentence(&other, &FIND_MESSAGES, FIND_EMPTY),
        })
    });
    let links = ServerAction::<SendWorkspaceLinks>::new();
    let links_error = Signal::derive(move || {
        links
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| known_sentence(&e, &EMAIL_MESSAGES, EMAIL_MALFORMED))
    });
    let query = use_query_map();
    let links_sent = move || query.read().get("links").as_deref() == Some("sent");
    view! {
        <Title text="" />
        <section class="landing">
            <img class="landing-logo" src=theme.logo_url.clone() alt=theme.product_name.clone() width="64" height="64" />
            <h1>{theme.headline().to_string()}</h1>
            <p class="tagline">{theme.tagline.clone()}</p>
            {(!theme.landing.intro.is_empty()).then(|| view! { <p class="intro">{theme.landing.intro.clone()}</p> })}
            <div class="card">
                <h2>{t!(i18n, workspaces.landing.find_title)}</h2>
                <ActionForm action=find>
                    <Field
                        id="find-query"
                        name="query"
                        label=t_string!(i18n, workspaces.landing.find_label)
                        error=query_error
                        autocomplete="organization"
                        placeholder=t_string!(i18n, workspaces.landing.find_placeholder)
                    />
                    <button type="submit" disabled=move || find.pending().get()>
                        {t!(i18n, workspaces.landing.find_submit)}
                    </button>
                </ActionForm>
            </div>
            <CreateWorkspaceCard />
            <div class="card">
                <h2>{t!(i18n, workspaces.landing.links_title)}</h2>
                <ActionForm action=links>
                    <Field
                        id="links-email"
                        name="email"
                        label=t_string!(i18n, workspaces.landing.links_email)
                        error=links_error
                        autocomplete="email"
                        inputmode="email"
                    />
                    <button type="submit" disabled=move || links.pending().get()>
                        {t!(i18n, workspaces.landing.links_submit)}
                    </button>
                </ActionForm>
                <p id="links-sent" class="sent" role="status">
                    {move || links_sent().then_some(
                        t_string!(i18n, workspaces.landing.links_sent),
                    )}
                </p>
            </div>
        </section>
    }
}

/// "Create a workspace": company name, its address (suggested from the name as it is typed),
/// the owner's name, e-mail and password. Success lands on the new workspace, signed in.
#[component]
fn CreateWorkspaceCard() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateWorkspace>::new();
    let error = move || create.value().get().and_then(Result::err);
    let company = display_name_messages("the company name");
    let person = display_name_messages("your name");
    let name_error = Signal::derive(move || {
        error().and_then(|e| {
            field_sentence(&e, "name", |m| company.iter().any(|k| k == m), &company[0])
        })
    });
    let slug_error = Signal::derive(move || {
        error().and_then(|e| {
            field_sentence(
                &e,
                "slug",
                is_slug_message,
                t_string!(i18n, workspaces.create.slug_fallback),
            )
        })
    });
    let owner_name_error = Signal::derive(move || {
        error().and_then(|e| {
            field_sentence(
                &e,
                "owner_name",
                |m| person.iter().any(|k| k == m),
                &person[0],
            )
        })
    });
    let email_error =
        Signal::derive(move || error().and_then(|e| email_sentence(&e, "owner_email", &[])));
    let password_error =
        Signal::derive(move || error().and_then(|e| password_sentence(&e, "owner_password")));
    let form_error = move || error().and_then(|e| form_sentence(&e));
    // The address follows the company name until the person edits it.
    let slug = RwSignal::new(String::new());
    let slug_edited = RwSignal::new(false);
    view! {
        <div class="card">
            <h2>{t!(i18n, workspaces.create.title)}</h2>
            <ActionForm action=create>
                <label for="create-name">{t!(i18n, workspaces.create.company)}</label>
                <input
                    id="create-name"
                    name="name"
                    type="text"
                    autocomplete="organization"
                    aria-describedby="create-name-error"
                    aria-invalid=move || if name_error.get().is_some() { "true" } else { "false" }
                    on:input=move |ev| {
                        if !slug_edited.get_untracked() {
                            slug.set(Slug::suggest(&event_target_value(&ev)));
                        }
                    }
                />
                <p id="create-name-error" class="field-error" role="alert">{move || name_error.get()}</p>
                <label for="create-slug">{t!(i18n, workspaces.create.slug)}</label>
                <input
                    id="create-slug"
                    name="slug"
                    type="text"
                    autocomplete="off"
                    placeholder=t_string!(i18n, workspaces.create.slug_placeholder)
                    aria-describedby="create-slug-error"
                    aria-invalid=move || if slug_error.get().is_some() { "true" } else { "false" }
                    prop:value=slug
                    on:input=move |ev| {
                        slug_edited.set(true);
                        slug.set(event_target_value(&ev));
                    }
                />
                <p id="create-slug-error" class="field-error" role="alert">{move || slug_error.get()}</p>
                <Field
                    id="create-owner-name"
                    name="owner_name"
                    label=t_string!(i18n, workspaces.create.owner_name)
                    error=owner_name_error
                    autocomplete="name"
                />
                <Field
                    id="create-owner-email"
                    name="owner_email"
                    label=t_string!(i18n, workspaces.create.owner_email)
                    error=email_error
                    autocomplete="email"
                    input_type="email"
                />
                <Field
                    id="create-owner-password"
                    name="owner_password"
                    label=t_string!(i18n, workspaces.create.owner_password)
                    error=password_error
                    autocomplete="new-password"
                    input_type="password"
                />
                <p id="create-error" class="field-error" role="alert">{form_error}</p>
                <button type="submit" disabled=move || create.pending().get()>
                    {t!(i18n, workspaces.create.submit)}
                </button>
            </ActionForm>
        </div>
    }
}
