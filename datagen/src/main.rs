use anyhow::{bail, Context};
use clap::Parser;
use datagen::{Clock, Sim, MIN_TOKEN_LEN};
use std::net::SocketAddr;
use std::sync::Arc;

/// iot-rocket-datagen: simulated devices behind a GraphQL API (demo data and test peer).
#[derive(Debug, Parser)]
#[command(name = "iot-rocket-datagen", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "DATAGEN_ADDR", default_value = "127.0.0.1:4000")]
    addr: SocketAddr,
    /// Bearer token every request must carry (at least 16 characters).
    #[arg(long, env = "DATAGEN_TOKEN", hide_env_values = true)]
    token: String,
    /// Number of simulated devices (1 to 1,000,000).
    #[arg(long, env = "DATAGEN_DEVICES", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    devices: u32,
    /// Seed of the simulation: the same seed gives the same fleet and the same values.
    #[arg(long, env = "DATAGEN_SEED", default_value_t = 1)]
    seed: u64,
    /// Fix "now" at this Unix time instead of the wall clock (reproducible demos and tests).
    #[arg(long, env = "DATAGEN_NOW")]
    now: Option<i64>,
}

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
