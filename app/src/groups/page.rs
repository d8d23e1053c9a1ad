use super::api::{load_groups, CreateGroup, DeleteGroup, GrantGroup, RevokeGrant};
use crate::form::{field_sentence, form_sentence, Field};
use crate::members::{signed_in_page, use_slug};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::account::display_name_messages;
use model::groups::{
    GroupListing, GroupsOverview, Level, Subject, VisibleGroup, GROUP_NAME_TAKEN, MESSAGES,
};
use model::{ApiError, Role};

fn change_sentence(error: &ApiError) -> String {
    crate::form::change_sentence(error, &MESSAGES, "That change could not be made.")
}

/// `/w/<slug>/groups`: device groups, who may see each, and the forms that change it.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let slug = use_slug();
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
        .map(|e| change_sentence(&e))
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
    let may_manage = o.may_manage_groups;
    let grantees = o.grantees.clone();
    let groups = if o.groups.is_empty() {
        view! { <p id="groups-none">"No device group yet."</p> }.into_any()
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
        <Title text="Device groups" />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>"← Home"</a></p>
            <h1>"Device groups"</h1>
            <p>"Owners and admins see every group. Editors and viewers see the groups given to them or to their role."</p>
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
    let rows = g
        .grants
        .into_iter()
        .map(|x| {
            let slug = slug.clone();
            view! {
                <tr>
                    <td>{x.subject_label}</td>
                    <td>{if x.grant.level == Level::Control { "view and control" } else { "view" }}</td>
                    <td>
                        <ActionForm action=revoke attr:class="inline">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="grant_id" value=x.id />
                            <button type="submit">"Take away"</button>
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
            view! { <option value=value>{format!("all {}s", r.as_str())}</option> }
        })
        .chain(grantees.into_iter().map(|p| {
            let value = Subject::User(p.user_id).form_value();
            view! { <option value=value>{format!("{} ({})", p.name, p.role.as_str())}</option> }
        }))
        .collect_view();
    let delete_form = may_manage.then(|| {
        let (slug, id) = (slug.clone(), g.id.clone());
        view! {
            <ActionForm action=delete attr:class="inline">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="group_id" value=id />
                <button type="submit" class="secondary">"Delete the group"</button>
            </ActionForm>
        }
    });
    let (slug_grant, id_grant) = (slug.clone(), g.id.clone());
    let group_attr = g.name.clone();
    view! {
        <div class="card" data-group=group_attr>
            <h2>{g.name}</h2>
            <table class="grants">
                <thead><tr><th>"Who"</th><th>"May"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <ActionForm action=grant attr:class="inline">
                <input type="hidden" name="slug" value=slug_grant />
                <input type="hidden" name="group_id" value=id_grant />
                <select name="subject" aria-label="Who">{subjects}</select>
                <select name="level" aria-label="May">
                    <option value="view">"view"</option>
                    <option value="control">"view and control"</option>
                </select>
                <button type="submit">"Give access"</button>
            </ActionForm>
            {delete_form}
        </div>
    }
}

#[component]
fn CreateForm(slug: String, action: ServerAction<CreateGroup>) -> impl IntoView {
    let error = move || action.value().get().and_then(Result::err);
    let name_error = Signal::derive(move || {
        let known = display_name_messages("a group name");
        error().and_then(|e| {
            field_sentence(
                &e,
                "name",
                |m| m == GROUP_NAME_TAKEN || known.iter().any(|k| k == m),
                "Choose another name.",
            )
        })
    });
    let form_error = move || error().and_then(|e| form_sentence(&e));
    view! {
        <section class="page">
            <div class="card">
                <h2>"New group"</h2>
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <Field id="group-name" name="name" label="Group name" error=name_error />
                    <p id="group-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit">"Create the group"</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The groups the signed-in member may see, for their home page.
#[component]
pub fn MyGroups(groups: Result<Vec<VisibleGroup>, ApiError>) -> impl IntoView {
    match groups {
        Ok(list) if list.is_empty() => {
            view! { <p id="my-groups-none">"No device group is open to you yet."</p> }.into_any()
        }
        Ok(list) => {
            let items = list
                .into_iter()
                .map(|g| {
                    let level = if g.level == Level::Control {
                        "view and control"
                    } else {
                        "view"
                    };
                    view! { <li>{format!("{} · {level}", g.name)}</li> }
                })
                .collect_view();
            view! { <ul id="my-groups">{items}</ul> }.into_any()
        }
        Err(_) => view! { <p>"Your device groups cannot be listed right now."</p> }.into_any(),
    }
}
