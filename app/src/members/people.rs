use super::api::{load_members, ChangeMemberRole, InviteMember, RemoveMember, WithdrawInvitation};
use super::{signed_in_page, use_slug};
use crate::form::{email_sentence, form_sentence_in, Field};
use i18n::role_name;
use i18n::{t, t_string, use_i18n};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use model::members::{MembersOverview, ALREADY_MEMBER, MESSAGES};
use model::{ApiError, Language, Role};

const ROLES: [Role; 4] = [Role::Owner, Role::Admin, Role::Editor, Role::Viewer];

fn change_sentence(error: &ApiError, language: Language) -> String {
    let fallback = i18n::td_string!(i18n::Locale::from(language), members.people.change_failed);
    crate::form::change_sentence_in(error, &MESSAGES, fallback, language)
}

/// `/w/<slug>/members`: members with their roles, pending invitations, and the invite form.
#[component]
pub fn MembersPage() -> impl IntoView {
    let slug = use_slug();
    let language = i18n::use_language();
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
        .map(|e| change_sentence(&e, language))
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
    let i18n = use_i18n();
    let language = i18n::use_language();
    let title = t_string!(
        i18n,
        members.people.title,
        workspace = o.workspace_name.clone()
    );
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
                    view! {
                        <option value=r.as_str() selected=r == m.role>{role_name(r, language)}</option>
                    }
                })
                .collect_view();
            let email_attr = m.email.clone();
            let (slug_a, slug_b, id_a, id_b) =
                (slug.clone(), slug.clone(), m.id.clone(), m.id.clone());
            view! {
                <tr data-email=email_attr>
                    <td>{m.name}{is_me.then(|| t_string!(i18n, members.people.you))}</td>
                    <td>{m.email}</td>
                    <td>
                        <ActionForm action=change attr:class="inline">
                            <input type="hidden" name="slug" value=slug_a />
                            <input type="hidden" name="user_id" value=id_a />
                            <select name="role" aria-label=t_string!(i18n, members.people.role) disabled=owner_locked>{options}</select>
                            <button type="submit" class="secondary" disabled=owner_locked>
                                {t!(i18n, members.people.change)}
                            </button>
                        </ActionForm>
                    </td>
                    <td>{language.utc_minute(m.joined_at)}</td>
                    <td>
                        <ActionForm action=remove attr:class="inline">
                            <input type="hidden" name="slug" value=slug_b />
                            <input type="hidden" name="user_id" value=id_b />
                            <button type="submit" class="secondary" disabled=owner_locked>
                                {t!(i18n, members.people.remove)}
                            </button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let invitations = if o.invitations.is_empty() {
        view! { <p id="invitations-none">{t!(i18n, members.people.no_invitations)}</p> }.into_any()
    } else {
        let rows = o
            .invitations
            .into_iter()
            .map(|i| {
                let slug = slug.clone();
                view! {
                    <tr>
                        <td>{i.email}</td>
                        <td>{role_name(i.role, language)}</td>
                        <td>{language.utc_minute(i.expires_at)}</td>
                        <td>
                            <ActionForm action=withdraw attr:class="inline">
                                <input type="hidden" name="slug" value=slug />
                                <input type="hidden" name="id" value=i.id />
                                <button type="submit" class="secondary">
                                    {t!(i18n, members.people.withdraw)}
                                </button>
                            </ActionForm>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table id="invitations">
                <thead>
                    <tr>
                        <th>{t!(i18n, members.people.email)}</th>
                        <th>{t!(i18n, members.people.role)}</th>
                        <th>{t!(i18n, members.people.link_works_until)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Title text=title.clone() />
        <section class="page">
            <p><a href=format!("/w/{slug}/")>{t!(i18n, members.home_link)}</a></p>
            <h1>{title}</h1>
            <table id="members">
                <thead>
                    <tr>
                        <th>{t!(i18n, members.people.name)}</th>
                        <th>{t!(i18n, members.people.email)}</th>
                        <th>{t!(i18n, members.people.role)}</th>
                        <th>{t!(i18n, members.people.joined)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p>
                <a id="to-groups" href=crate::groups::groups_path(&slug)>
                    {t!(i18n, members.people.to_groups)}
                </a>
            </p>
            <h2>{t!(i18n, members.people.invitations)}</h2>
            {invitations}
        </section>
    }
}

#[component]
fn InviteForm(slug: String, action: ServerAction<InviteMember>) -> impl IntoView {
    let i18n = use_i18n();
    let language = i18n::use_language();
    let error = move || action.value().get().and_then(Result::err);
    let email_error = Signal::derive(move || {
        error().and_then(|e| email_sentence(&e, "email", &[ALREADY_MEMBER]))
    });
    let role_error = move || {
        error()
            .filter(|e| e.field_message("role").is_some())
            .map(|e| change_sentence(&e, language))
    };
    let form_error = move || error().and_then(|e| form_sentence_in(&e, language));
    let options = ROLES
        .into_iter()
        .map(
            |r| {
                view! {
                    <option value=r.as_str() selected=r == Role::Viewer>{role_name(r, language)}</option>
                }
            },
        )
        .collect_view();
    view! {
        <section class="page">
            <h2>{t!(i18n, members.people.invite_heading)}</h2>
            <div class="card">
                <ActionForm action>
                    <input type="hidden" name="slug" value=slug />
                    <Field
                        id="invite-email"
                        name="email"
                        label=t_string!(i18n, members.people.email_label)
                        error=email_error
                        input_type="email"
                    />
                    <label for="invite-role">{t!(i18n, members.people.role)}</label>
                    <select id="invite-role" name="role">{options}</select>
                    <p id="invite-role-error" class="field-error">{role_error}</p>
                    <p id="invite-error" class="field-error" role="alert">{form_error}</p>
                    <button type="submit" disabled=move || action.pending().get()>
                        {t!(i18n, members.people.send_invitation)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}
