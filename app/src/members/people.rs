use super::api::{load_members, ChangeMemberRole, InviteMember, RemoveMember, WithdrawInvitation};
use super::{signed_in_page, use_slug};
use crate::form::{email_sentence, form_sentence, Field};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::members::{MembersOverview, ALREADY_MEMBER, MESSAGES};
use model::time::utc_minute;
use model::{ApiError, Role};

const ROLES: [Role; 4] = [Role::Owner, Role::Admin, Role::Editor, Role::Viewer];

fn change_sentence(error: &ApiError) -> String {
    crate::form::change_sentence(error, &MESSAGES, "That change could not be made.")
}

/// `/w/<slug>/members`: members with their roles, pending invitations, and the invite form.
#[component]
pub fn MembersPage() -> impl IntoView {
    let slug = use_slug();
    let invite = ServerAction::<InviteMember>::new();
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let withdraw = ServerAction::<WithdrawInvitation>::new();
    let overview = Resource::new_blocking(
        move || {
            (
                slug.get(),
                invite.version().get(),
                change.version().get(),
                remove.version().get(),
                withdraw.version().get(),
            )
        },
        |(slug, ..)| load_members(slug),
    );
    let change_error = move || {
        [
            change.value().get().and_then(Result::err),
            remove.value().get().and_then(Result::err),
            withdraw.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| change_sentence(&e))
    };
    signed_in_page(slug, overview, move |slug, o| {
        view! {
            <Members o slug=slug.clone() change remove withdraw />
            <section class="page">
                <p id="members-error" class="field-error" role="alert">{change_error}</p>
            </section>
            <InviteForm slug action=invite />
        }
        .into_any()
    })
}

#[component]
fn Members(
    o: MembersOverview,
    slug: String,
    change: ServerAction<ChangeMemberRole>,
    remove: ServerAction<RemoveMember>,
    withdraw: ServerAction<WithdrawInvitation>,
) -> impl IntoView {
    let title = format!("Members of {}", o.workspace_name);
    let may_owners = o.may_manage_owners;
    let rows = o
        .members
        .into_iter()
        .map(|m| {
            let owner_locked = m.role == Role::Owner && !may_owners;
            let is_me = o.me.as_deref() == Some(m.id.as_str());
            let options = ROLES
                .into_iter()
                .filter(|r| may_owners || *r != Role::Owner || m.role == Role::Owner)
                .map(|r| {
                    view! { <option value=r.as_str() selected=r == m.role>{r.as_str()}</option> }
                })
                .collect_view();
            let email_attr = m.email.clone();
            let (slug_a, slug_b, id_a, id_b) =
                (slug.clone(), slug.clone(), m.id.clone(), m.id.clone());
            view! {
                <tr data-email=email_attr>
                    <td>{m.name}{is_me.then_some(" (you)")}</td>
                    <td>{m.email}</td>
                    <td>
                        <ActionForm action=change attr:class="inline">
                            <input type="hidden" name="slug" value=slug_a />
                            <input type="hidden" name="user_id" value=id_a />
                            <select name="role" aria-label="Role" disabled=owner_locked>{options}</select>
                            <button type="submit" class="secondary" disabled=owner_locked>"Change"</button>
                        </ActionForm>
                    </td>
                    <td>{utc_minute(m.joined_at)}</td>
                    <td>
                        <ActionForm action=remove attr:class="inline">
                            <input type="hidden" name="slug" value=slug_b />
                            <input type="hidden" name="user_id" value=id_b />
                            <button type="submit" class="secondary" disabled=owner_locked>"Remove"</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let invitations = if o.invitations.is_empty() {
        view! { <p id="invitations-none">"No invitation is waiting."</p> }.into_any()
    } else {
        let rows = o
            .invitations
            .into_iter()
            .map(|i| {
                let slug = slug.clone();
                view! {
                    <tr>
                        <td>{i.email}</td>
                        <td>{i.role.as_str()}</td>
                        <td>{utc_minute(i.expires_at)}</td>
                        <td>
                            <ActionForm action=withdraw attr:class="inline">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=i.id />
                                <button type="submit" class="secondary">"Withdraw"</button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table id="invitations">
                <thead><tr><th>"E-mail"</th><th>"Role"</th><th>"Link works until"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Title text=title.clone() />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>"← Home"</a></p>
            <h1>{title}</h1>
            <table id="members">
                <thead>
                    <tr><th>"Name"</th><th>"E-mail"</th><th>"Role"</th><th>"Joined"</th><th></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p>
                <a id="to-groups" href=crate::groups::groups_path(&slug)>
                    "Device groups and who may see them →"
                </a>
            </p>
            <h2>"Invitations"</h2>
            {invitations}
        </section>
    }
}

#[component]
fn InviteForm(slug: String, action: ServerAction<InviteMember>) -> impl IntoView {
    let error = move || action.value().get().and_then(Result::err);
    let email_error = Signal::derive(move || {
        error().and_then(|e| email_sentence(&e, "email", &[ALREADY_MEMBER]))
    });
    let role_error = move || {
        error()
            .filter(|e| e.field_message("role").is_some())
            .map(|e| change_sentence(&e))
    };
    let form_error = move || error().and_then(|e| form_sentence(&e));
    let options = ROLES
        .into_iter()
        .map(
            |r| view! { <option value=r.as_str() selected=r == Role::Viewer>{r.as_str()}</option> },
        )
        .collect_view();
    view! {
        <section class="page">
            <h2>"Invite someone"</h2>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <Field
                        id="invite-email"
                        name="email"
                        label="E-mail address"
                        error=email_error
                        input_type="email"
                    />
                    <label for="invite-role">"Role"</label>
                    <select id="invite-role" name="role">{options}</select>
                    <p id="invite-role-error" class="field-error">{role_error}</p>
                    <p id="invite-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>"Send invitation"</button>
                </ActionForm>
            </div>
        </section>
    }
}
