//! The reference KrosAI Calls server: the generated router over the demo
//! implementation, serving the API under `/v1`.
//!
//! ```sh
//! cargo run -p krosai-generated --all-features --example calls_server -- --addr 127.0.0.1:8080
//! curl -H 'Authorization: Bearer kros_test_alpha' 'http://127.0.0.1:8080/v1/calls?limit=2'
//! ```

use std::net::SocketAddr;

use clap::Parser;
use krosai_generated::demo::{DemoCalls, DemoKeys, ALPHA_KEY, ALPHA_ORG, BETA_KEY, BETA_ORG};
use krosai_runtime::server::{serve, ServeLimits};
use tower_http::trace::TraceLayer;

/// Serve the KrosAI Calls API over deterministic demo data.
#[derive(Debug, Parser)]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The most connections open at once (more wait to be accepted).
    #[arg(long, default_value_t = ServeLimits::new().max_connections())]
    connections: usize,
    /// Seconds a client has to send a request's head (or, between
    /// requests, to start the next one).
    #[arg(long, default_value_t = ServeLimits::new().max_head_time().as_secs_f64())]
    head_timeout: f64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let app = axum::Router::new()
        .nest(
            "/v1",
            krosai_generated::server::router(DemoCalls::demo(), DemoKeys),
        )
        .layer(TraceLayer::new_for_http());
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    let local = listener.local_addr()?;
    println!("KrosAI Calls reference server on http://{local}/v1 (spec at /v1/openapi.json)");
    println!("  organization alpha {ALPHA_ORG}: key {ALPHA_KEY}");
    println!("  organization beta  {BETA_ORG}: key {BETA_KEY}");
    let head_timeout = std::time::Duration::try_from_secs_f64(args.head_timeout)
        .map_err(|e| format!("--head-timeout {}: {e}", args.head_timeout))?;
    let limits = ServeLimits::new()
        .connections(args.connections)
        .head_timeout(head_timeout);
    serve(listener, app, limits, async {
        // Ctrl-C: finish the requests in flight, then stop.
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
    .await?;
    Ok(())
}
