use clap::Parser;
use server::config::{Cli, Command};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    let filter = match command {
        Command::Serve => server::telemetry::SERVER_FILTER,
        _ => server::telemetry::COMMAND_FILTER,
    };
    server::telemetry::init(cli.config.log_format, filter);
    let result = match command {
        Command::Serve => server::serve(cli.config).await,
        Command::Migrate => server::open_control_db(&cli.config).await.map(|db| {
            tracing::info!("control database is up to date");
            drop(db);
        }),
        Command::Operator(command) => {
            return match server::cli::run_operator(&cli.config, command).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(sentence) => {
                    eprintln!("{sentence}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Theme(command) => {
            return if server::cli::run_theme(command, &mut std::io::stdout()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Command::Workspace(command) => {
            return match server::cli::run(&cli.config, command).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(sentence) => {
                    eprintln!("{sentence}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("iot-rocket: {e:#}");
            ExitCode::FAILURE
        }
    }
}
