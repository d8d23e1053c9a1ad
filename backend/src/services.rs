//! What every request handler and server function shares: the control-plane database, the
//! theme and the process start time. Built once at start-up.

use crate::auth::{SessionCookie, SessionSettings};
use crate::connector::Connector;
use crate::mail::Mailer;
use crate::registry::Registry;
use crate::theme::{LoadedTheme, ThemeStore};
use crate::throttle::Throttle;
use crate::Db;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Services {
    pub control: Db,
    /// The pools of the workspace databases.
    pub registry: Registry,
    /// The deployment's theme, reloaded when its folder changes.
    pub themes: Arc<ThemeStore>,
    pub mailer: Mailer,
    /// The address people reach the product at, for links in mails.
    pub public_url: Arc<str>,
    /// How long sessions last (configurable).
    pub sessions: SessionSettings,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `TRUSTED_PROXIES`).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// How the session cookie is written (secure unless the product is plain HTTP on localhost).
    pub cookie: SessionCookie,
    /// One "find my workspaces" mail per address and window.
    pub link_mails: Arc<Throttle>,
    /// Reads device data from the configured source (none until the configuration sets one).
    pub connector: Arc<Connector>,
    /// Where maps take their tiles from (`MAP_TILE_URL`); none until the configuration sets one.
    pub map_tiles: model::map::MapTiles,
    /// Live updates of open dashboards (feeds of readings, events of edits).
    pub live: crate::live::Live,
    /// Workspaces' own brands, for their pages.
    pub brands: Arc<crate::workspaces::branding::BrandCache>,
    pub started_at: Instant,
}

impl Services {
    pub fn new(
        control: Db,
        registry: Registry,
        themes: ThemeStore,
        mailer: Mailer,
        public_url: &str,
    ) -> Self {
        Self {
            control,
            registry,
            themes: Arc::new(themes),
            mailer,
            sessions: SessionSettings::default(),
            trusted_proxies: Arc::from([]),
            cookie: SessionCookie::for_public_url(public_url),
            public_url: public_url.into(),
            link_mails: Arc::new(Throttle::new(Duration::from_secs(600))),
            connector: Arc::new(Connector::new(None, Default::default())),
            map_tiles: Default::default(),
            live: Default::default(),
            brands: Default::default(),
            started_at: Instant::now(),
        }
    }

    /// The theme to render with now.
    pub fn theme(&self) -> Arc<LoadedTheme> {
        self.themes.current()
    }

    /// The look of mails written now, in `language`.
    pub fn mail_brand(&self, language: model::Language) -> crate::mail::Brand {
        crate::mail::Brand::in_language(&self.theme().theme, &self.public_url, language)
    }

    /// Sends, in the background, the mail listing the workspaces of `email` (at most one per
    /// address and ten minutes). Returns at once, the same way whatever the address, so the
    /// caller learns nothing about it.
    /// What mails about a workspace are sent with: the mailer, the brand's name, the site.
    /// Mails are written in `language` unless the recipient chose another one.
    pub fn mail_context(
        &self,
        language: model::Language,
    ) -> crate::members::invitations::MailContext<'_> {
        crate::members::invitations::MailContext {
            control: &self.control,
            mailer: &self.mailer,
            brand: self.mail_brand(language),
            theme: self.theme(),
            public_url: &self.public_url,
        }
    }

    /// Mails a password-reset link in the background when `email` has an account in the
    /// workspace at `slug`, so the answer takes as long either way. One mail per address and
    /// workspace per throttle window. The mail is in the user's chosen language, else in
    /// `language` (the page's that asked).
    pub fn send_password_reset(
        &self,
        slug: String,
        email: model::Email,
        language: model::Language,
    ) {
        if !self
            .link_mails
            .allow(&format!("reset {slug} {}", email.as_str()))
        {
            tracing::info!("a reset link was sent to this address recently; not again yet");
            return;
        }
        let services = self.clone();
        tokio::spawn(async move {
            let sent = crate::members::reset::request(
                &services.control,
                &services.registry,
                services.mail_context(language),
                &slug,
                &email,
            )
            .await;
            match sent {
                Ok(sent) => tracing::info!(sent, "password reset request handled"),
                Err(e) => tracing::error!(error = %e, "could not handle a password reset request"),
            }
        });
    }

    /// The mail is in `language`, the page's that asked.
    pub fn send_workspace_links(&self, email: model::Email, language: model::Language) {
        if !self.link_mails.allow(email.as_str()) {
            tracing::info!("workspace links were sent to this address recently; not again yet");
            return;
        }
        let services = self.clone();
        tokio::spawn(async move {
            let sent = crate::workspaces::links::send_links(
                &services.control,
                &services.mailer,
                &services.mail_brand(language),
                &services.public_url,
                email,
            )
            .await;
            match sent {
                Ok(n) => tracing::info!(workspaces = n, "workspace links handled"),
                Err(e) => tracing::error!(error = %e, "could not send workspace links"),
            }
        });
    }
}
