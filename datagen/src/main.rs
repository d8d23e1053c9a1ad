use anyhow::{bail, Context};
use clap::Parser;
use datagen::{Args, Clock, Sim, MIN_TOKEN_LEN};
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    if args.token.trim().chars().count() < MIN_TOKEN_LEN {
        bail!("DATAGEN_TOKEN must be at least {MIN_TOKEN_LEN} characters");
    }
    let clock = args.now.map_or(Clock::Wall, Clock::Fixed);
    let started = std::time::Instant::now();
    let sim = Arc::new(Sim::new(args.seed, args.devices, clock));
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {} (DATAGEN_ADDR)", args.addr))?;
    tracing::info!(
        addr = %listener.local_addr()?,
        devices = args.devices,
        seed = args.seed,
        fleet_ms = started.elapsed().as_millis() as u64,
        "datagen listening; GraphQL at /graphql"
    );
    axum::serve(listener, datagen::router(sim, args.token.trim()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
