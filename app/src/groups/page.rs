use super::api::{load_groups, CreateGroup, DeleteGroup, GrantGroup, RevokeGrant};
use crate::form::{field_sentence, form_sentence, Field};
use crate::members::{signed_in_page, use_slug};
use i18n::{t, t_string, td_string, use_i18n, Locale};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::groups::{
    GroupListing, GroupsOverview, Level, Subject, VisibleGroup, GROUP_NAME_TAKEN, MESSAGES,
};
use model::{ApiError, Role};

fn change_sentence(error: &ApiError, locale: Locale) -> String {
    crate::form::change_sentence(error, &MESSAGES, td_string!(locale, groups.change_failed))
}

/// A level of access as the page words it.
fn level_text(level: Level, locale: Locale) -> &'static str {
    if level == Level::Control {
        td_string!(locale, groups.level.control)
    } else {
        td_string!(locale, groups.level.view)
    }
}

/// "all editors" / "all viewers" for the role-wide grants (the only roles a group is given to).
fn everyone_with(role: Role, locale: Locale) -> Option<&'static str> {
    match role {
        Role::Editor => Some(td_string!(locale, groups.all_editors)),
        Role::Viewer => Some(td_string!(locale, groups.all_viewers)),
        Role::Owner | Role::Admin => None,
    }
}

/// `/w/<slug>/groups`: device groups, who may see each, and the forms that change it.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let slug = use_slug();
    let locale = Locale::from(i18n::use_language());
    let create = ServerAction::<CreateGroup>::new();
    let delete = ServerAction::<DeleteGroup>::new();
    let grant = ServerAction::<GrantGroup>::new();
    let revoke = ServerAction::<RevokeGrant>::new();
    let overview = Resource::new_blocking(
        move || {
            (
                slug.get(),
                create.version().get(),
                delete.version().get(),
                grant.version().get(),
                revoke.version().get(),
            )
        },
        |(slug, ..)| load_groups(slug),
    );
    let change_error = move || {
        [
            delete.value().get().and_then(Result::err),
            grant.value().get().and_then(Result::err),
            revoke.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| change_sentence(&e, locale))
    };
    signed_in_page(slug, overview, move |slug, o| {
        view! {
            <Groups o slug delete grant revoke create />
            <section class="page">
                <p id="groups-error" class="field-error" role="alert">{change_error}</p>
            </section>
        }
        .into_any()
    })
}

#[component]
fn Groups(
    o: GroupsOverview,
    slug: String,
    create: ServerAction<CreateGroup>,
    delete: ServerAction<DeleteGroup>,
    grant: ServerAction<GrantGroup>,
    revoke: ServerAction<RevokeGrant>,
) -> impl IntoView {
    let i18n = use_i18n();
    let may_manage = o.may_manage_groups;
    let grantees = o.grantees.clone();
    let groups = if o.groups.is_empty() {
        view! { <p id="groups-none">{t!(i18n, groups.none)}</p> }.into_any()
    } else {
        o.groups
            .into_iter()
            .map(|g| {
                view! {
                    <Group g slug=slug.clone() may_manage grantees=grantees.clone() delete grant revoke />
                }
            })
            .collect_view()
            .into_any()
    };
    let create_form = may_manage.then(|| view! { <CreateForm slug=slug.clone() action=create /> });
    view! {
        <Title text=t_string!(i18n, groups.title) />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, groups.back_home)}</a></p>
            <h1>{t!(i18n, groups.title)}</h1>
            <p>{t!(i18n, groups.intro)}</p>
            {groups}
        </section>
        {create_form}
    }
}

#[component]
fn Group(
    g: GroupListing,
    slug: String,
    may_manage: bool,
    grantees: Vec<model::groups::Grantee>,
    delete: ServerAction<DeleteGroup>,
    grant: ServerAction<GrantGroup>,
    revoke: ServerAction<RevokeGrant>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = Locale::from(i18n::use_language());
    let rows = g
        .grants
        .into_iter()
        .map(|x| {
            let slug = slug.clone();
            let who = match x.grant.subject {
                Subject::Role(r) => {
                    everyone_with(r, locale).map_or(x.subject_label, str::to_string)
                }
                Subject::User(_) => x.subject_label,
            };
            view! {
                <tr>
                    <td>{who}</td>
                    <td>{level_text(x.grant.level, locale)}</td>
                    <td>
                        <ActionForm action=revoke attr:class="inline">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="grant_id" value=x.id />
                            <button type="submit">{t!(i18n, groups.take_away)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let subjects = [Role::Viewer, Role::Editor]
        .into_iter()
        .map(|r| {
            let value = Subject::Role(r).form_value();
            view! { <option value=value>{everyone_with(r, locale).unwrap_or_default().to_string()}</option> }
        })
        .chain(grantees.into_iter().map(|p| {
            let value = Subject::User(p.user_id).form_value();
            view! { <option value=value>{format!("{} ({})", p.name, i18n::role_name(p.role, locale.into()))}</option> }
        }))
        .collect_view();
    let delete_form = may_manage.then(|| {
        let (slug, id) = (slug.clone(), g.id.clone());
        view! {
            <ActionForm action=delete attr:class="inline">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="group_id" value=id />
                <button type="submit" class="secondary">{t!(i18n, groups.delete)}</button>
            </ActionForm>
        }
    });
    let (slug_grant, id_grant) = (slug.clone(), g.id.clone());
    let group_attr = g.name.clone();
    view! {
        <div class="card" data-group=group_attr>
            <h2>{g.name}</h2>
            <table class="grants">
                <thead><tr><th>{t!(i18n, groups.who)}</th><th>{t!(i18n, groups.may)}</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <ActionForm action=grant attr:class="inline">
                <input type="hidden" name="slug" value=slug_grant />
                <input type="hidden" name="group_id" value=id_grant />
                <select name="subject" aria-label=t_string!(i18n, groups.who)>{subjects}</select>
                <select name="level" aria-label=t_string!(i18n, groups.may)>
                    <option value="view">{t!(i18n, groups.level.view)}</option>
                    <option value="control">{t!(i18n, groups.level.control)}</option>
                </select>
                <button type="submit">{t!(i18n, groups.give_access)}</button>
            </ActionForm>
            {delete_form}
        </div>
    }
}

#[component]
fn CreateForm(slug: String, action: ServerAction<CreateGroup>) -> impl IntoView {
    let i18n = use_i18n();
    let choose_another = t_string!(i18n, groups.new.choose_another_name);
    let error = move || action.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("a group name");
        error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| m == GROUP_NAME_TAKEN || known.iter().any(|k| k == m),
                choose_another,
            )
        })
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    view! {
        <section class="page">
            <div class="card">
                <h2>{t!(i18n, groups.new.title)}</h2>
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <Field id="group-name" name="name" label=t_string!(i18n, groups.new.name) error=name_error />
                    <p id="group-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit">{t!(i18n, groups.new.submit)}</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The groups the signed-in member may see, for their home page.
#[component]
pub fn MyGroups(groups: Result<Vec<VisibleGroup>, ApiError>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = Locale::from(i18n::use_language());
    match groups {
        Ok(list) if list.is_empty() => {
            view! { <p id="my-groups-none">{t!(i18n, groups.mine.none)}</p> }.into_any()
        }
        Ok(list) => {
            let items = list
                .into_iter()
                .map(|g| {
                    let level = level_text(g.level, locale);
                    view! { <li>{format!("{} · {level}", g.name)}</li> }
                })
                .collect_view();
            view! { <ul id="my-groups">{items}</ul> }.into_any()
        }
        Err(_) => view! { <p>{t!(i18n, groups.mine.unavailable)}</p> }.into_any(),
    }
}
