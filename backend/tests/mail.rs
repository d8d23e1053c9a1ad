//! Mail: through a real SMTP server on loopback, and into the outbox folder; the "find my
//! workspaces" mail on both engines.

use backend::mail::{Mail, Mailer};
use backend::on_both;
use backend::registry::RegistrySettings;
use backend::testing::{SmtpSink, TestDbRef};
use backend::workspaces::{self, links, NewWorkspace};
use model::{Email, WorkspaceStatus};

fn brand() -> backend::mail::Brand {
    backend::mail::Brand::builtin("http://iot.example")
}

fn mail(to: &str) -> Mail {
    Mail {
        to: Email::parse(to).expect("email"),
        subject: "Hello from the test".into(),
        text: "plain words".into(),
        html: "<p>html words</p>".into(),
        sender_name: None,
    }
}

#[tokio::test]
async fn mails_reach_an_smtp_server() {
    let sink = SmtpSink::start().await;
    let outbox =
        std::env::temp_dir().join(format!("iotr-unused-{}", uuid::Uuid::new_v4().simple()));
    let mailer = Mailer::new(
        Some(&sink.url),
        outbox.clone(),
        "Acme <no-reply@acme.example>",
    )
    .expect("mailer");
    mailer.send(mail("ada@acme.example")).await.expect("send");
    let got = sink.wait_for(1).await;
    assert!(
        got[0].contains("Subject: Hello from the test"),
        "{}",
        got[0]
    );
    assert!(got[0].contains("To: ada@acme.example"), "{}", got[0]);
    assert!(
        got[0].contains("From: Acme <no-reply@acme.example>"),
        "{}",
        got[0]
    );
    assert!(got[0].contains("plain words") && got[0].contains("<p>html words</p>"));
    assert!(
        !outbox.exists(),
        "nothing goes to the outbox when SMTP is set"
    );
}

#[tokio::test]
async fn without_smtp_mails_land_in_the_outbox() {
    let outbox =
        std::env::temp_dir().join(format!("iotr-outbox-{}", uuid::Uuid::new_v4().simple()));
    let mailer =
        Mailer::new(None, outbox.clone(), "IoT Rocket <no-reply@localhost>").expect("mailer");
    mailer.send(mail("ada@acme.example")).await.expect("send");
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .expect("outbox")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].path().extension().and_then(|e| e.to_str()),
        Some("eml")
    );
    let eml = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(eml.contains("Subject: Hello from the test"));
    std::fs::remove_dir_all(outbox).ok();
}

#[test]
fn a_bad_sender_or_smtp_url_is_refused_plainly() {
    let dir = std::env::temp_dir();
    assert!(Mailer::new(None, dir.clone(), "not an address").is_err());
    assert!(Mailer::new(Some("http://nope"), dir, "a@b.example").is_err());
}

on_both!(
    the_links_mail_lists_only_the_workspaces_of_that_address,
    |t: TestDbRef| async move {
        let control = t.migrated().await;
        let registry = t.registry(&control, RegistrySettings::default());
        let owner = |slug: &str, email: &str| NewWorkspace {
            slug: slug.into(),
            name: format!("{slug} corp"),
            owner_name: "Owner".into(),
            owner_email: email.into(),
            owner_password: "correct horse battery".into(),
        };
        workspaces::create(&control, &registry, owner("acme", "ada@shared.example"))
            .await
            .expect("acme");
        workspaces::create(&control, &registry, owner("globex", "ADA@shared.example"))
            .await
            .expect("globex");
        workspaces::create(&control, &registry, owner("initech", "bob@other.example"))
            .await
            .expect("initech");
        workspaces::set_status(&control, "globex", WorkspaceStatus::Suspended)
            .await
            .expect("suspend");

        let sink = SmtpSink::start().await;
        let mailer = Mailer::new(
            Some(&sink.url),
            t.dir.join("outbox"),
            "IoT Rocket <no-reply@localhost>",
        )
        .expect("mailer");
        let ada = Email::parse("Ada@Shared.example").expect("email");
        let n = links::send_links(&control, &mailer, &brand(), "http://iot.example", ada)
            .await
            .expect("send");
        assert_eq!(n, 2);
        let got = sink.wait_for(1).await;
        assert!(got[0].contains("http://iot.example/w/acme/"), "{}", got[0]);
        assert!(got[0].contains("globex corp (suspended)"), "{}", got[0]);
        assert!(!got[0].contains("initech"), "only Ada's workspaces");

        let nobody = Email::parse("nobody@nowhere.example").expect("email");
        let n = links::send_links(&control, &mailer, &brand(), "http://iot.example", nobody)
            .await
            .expect("send");
        assert_eq!(n, 0);
        assert_eq!(sink.received().len(), 1, "no mail for an unknown address");
    }
);
