//! `/w/<slug>/branding`: owners and admins give their workspace its own name, primary colour
//! and logo over the deployment's theme (co-branding). Each form is a plain form post, so it
//! works without JavaScript, and the page comes back wearing the new brand.

use super::api::{workspace_branding, RemoveBrandLogo, SaveBranding};
use crate::flash::FormFlash;
use crate::form::{field_sentence, form_sentence};
use crate::members::{signed_in_page, use_query, use_slug};
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::workspace::BrandingView;

#[component]
pub fn BrandingPage() -> impl IntoView {
    let slug = use_slug();
    let save = ServerAction::<SaveBranding>::new();
    let remove = ServerAction::<RemoveBrandLogo>::new();
    let brand = Resource::new_blocking(move || slug.get(), workspace_branding);
    // The whole page wears the brand (header, colours): after a change made through
    // JavaScript, load it again so the new brand shows everywhere at once.
    Effect::new(move |_| {
        let done = matches!(save.value().get(), Some(Ok(())))
            || matches!(remove.value().get(), Some(Ok(())));
        if done {
            let _ = window().location().reload();
        }
    });
    signed_in_page(slug, brand, move |slug, b| {
        view! { <Branding b slug save remove /> }.into_any()
    })
}

#[component]
fn Branding(
    b: BrandingView,
    slug: String,
    save: ServerAction<SaveBranding>,
    remove: ServerAction<RemoveBrandLogo>,
) -> impl IntoView {
    let i18n = use_i18n();
    let saved = use_query("saved");
    let logo_saved = use_query("logo");
    let error = move || save.value().get().and_then(Result::err);
    // Fixed sentences: a form sent without JavaScript gets its error back in the page's
    // address, where anyone could write anything.
    let name_error = Signal::derive(move || {
        error().and_then(|e| {
            field_sentence(
                &e,
                "display_name",
                |_| false,
                t_string!(i18n, workspaces.branding.name_rule),
            )
        })
    });
    let colour_error = Signal::derive(move || {
        error().and_then(|e| {
            field_sentence(
                &e,
                "primary_color",
                |_| false,
                t_string!(i18n, workspaces.branding.colour_rule),
            )
        })
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    let status = move || match (saved.get().as_str(), logo_saved.get().as_str()) {
        ("brand", _) => Some(t_string!(i18n, workspaces.branding.brand_saved)),
        ("logo", _) => Some(t_string!(i18n, workspaces.branding.logo_removed)),
        (_, "saved") => Some(t_string!(i18n, workspaces.branding.logo_saved)),
        _ => None,
    };
    let upload_to = format!("/w/{slug}/brand/logo");
    let logo = b.logo_url.clone().map(|url| {
        let slug = slug.clone();
        view! {
            <img id="brand-current-logo" src=url alt=t_string!(i18n, workspaces.branding.logo_alt) height="48" />
            <ActionForm action=remove>
                <input type="hidden" name="slug" value=slug />
                <button type="submit" class="secondary" id="brand-remove-logo">{t!(i18n, workspaces.branding.remove_logo)}</button>
            </ActionForm>
        }
    });
    let swatch = (!b.primary_color.is_empty()).then(|| {
        format!(
            "display:inline-block;width:1.5rem;height:1.5rem;vertical-align:middle;\
                 border-radius:var(--radius);border:1px solid var(--color-border);background:{}",
            b.primary_color
        )
    });
    view! {
        <Title text=t_string!(i18n, workspaces.branding.title) />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, workspaces.branding.home_link)}</a></p>
            <h1>{t!(i18n, workspaces.branding.heading)}</h1>
            <p>{t!(i18n, workspaces.branding.intro)}</p>
            <FormFlash />
            <p id="brand-status" role="status">{status}</p>
            <p id="brand-error" class="field-error" role="alert">{form_error}</p>
            <div class="card">
                <h2>{t!(i18n, workspaces.branding.name_and_colour)}</h2>
                <ActionForm action=save>
                    <input type="hidden" name="slug" value=slug.clone() />
                    <label for="brand-name">{t!(i18n, workspaces.branding.name_label)}</label>
                    <input id="brand-name" name="display_name" value=b.display_name.clone()
                        maxlength="60" autocomplete="organization" />
                    <p id="brand-name-error" class="field-error">{name_error}</p>
                    <label for="brand-colour">{t!(i18n, workspaces.branding.colour_label)}</label>
                    <input id="brand-colour" name="primary_color" value=b.primary_color.clone()
                        placeholder="#2e7d32" pattern="#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?" />
                    <span class="swatch" style=swatch></span>
                    <p id="brand-colour-error" class="field-error">{colour_error}</p>
                    <button type="submit">{t!(i18n, workspaces.branding.save)}</button>
                </ActionForm>
            </div>
            <div class="card">
                <h2>{t!(i18n, workspaces.branding.logo)}</h2>
                {logo}
                <form method="post" action=upload_to enctype="multipart/form-data">
                    <label for="brand-logo-file">{t!(i18n, workspaces.branding.logo_file)}</label>
                    <input id="brand-logo-file" type="file" name="logo"
                        accept=".svg,.png,.ico,image/svg+xml,image/png,image/x-icon" required />
                    <button type="submit" id="brand-upload">{t!(i18n, workspaces.branding.upload)}</button>
                </form>
            </div>
        </section>
    }
}
