//! Serving a router on a TCP listener with limits that hold against slow,
//! idle and greedy clients: what `axum::serve` leaves to the caller.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// Limits on the connections of a server started with [`serve`]: how many
/// are open at once (more wait in the listener's backlog), how long a
/// client has to send a request's head (an idle keep-alive connection
/// included: it is closed then), and how large the head may be (a larger
/// one is answered `431`).
///
/// With [`Limits`](super::Limits) on the router (body size, time to
/// answer), the memory a server holds is bounded by about
/// `connections × (head_bytes + 16 KiB)` for the connections and
/// `connections × body_bytes` for the bodies being read.
///
/// ```
/// use std::time::Duration;
/// use krosai_runtime::server::ServeLimits;
///
/// let limits = ServeLimits::new().connections(256).head_timeout(Duration::from_secs(5));
/// assert_eq!(limits.max_connections(), 256);
/// assert_eq!(ServeLimits::default().max_head_bytes(), 64 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    connections: usize,
    head_timeout: Duration,
    head_bytes: usize,
    headers: usize,
}

impl ServeLimits {
    /// The defaults: 1,024 connections, 10 s to send a request head (or to
    /// start the next one), heads up to 64 KiB with at most 100 headers.
    pub const fn new() -> Self {
        ServeLimits {
            connections: 1024,
            head_timeout: Duration::from_secs(10),
            head_bytes: 64 * 1024,
            headers: 100,
        }
    }

    /// At most `connections` open at once (at least one, at most
    /// `u32::MAX`).
    pub const fn connections(mut self, connections: usize) -> Self {
        self.connections = if connections == 0 {
            1
        } else if connections > u32::MAX as usize {
            u32::MAX as usize
        } else {
            connections
        };
        self
    }

    /// The time a client has to send a request's head, from when the
    /// server starts waiting for it (so also the longest idle keep-alive).
    pub const fn head_timeout(mut self, timeout: Duration) -> Self {
        self.head_timeout = timeout;
        self
    }

    /// The largest request head (request line and headers), at least
    /// 8 KiB (the HTTP server's smallest buffer).
    pub const fn head_bytes(mut self, bytes: usize) -> Self {
        self.head_bytes = if bytes < 8192 { 8192 } else { bytes };
        self
    }

    /// The most headers a request may have.
    pub const fn headers(mut self, headers: usize) -> Self {
        self.headers = headers;
        self
    }

    /// The most connections open at once.
    pub const fn max_connections(&self) -> usize {
        self.connections
    }

    /// The time a client has to send a request's head.
    pub const fn max_head_time(&self) -> Duration {
        self.head_timeout
    }

    /// The largest request head.
    pub const fn max_head_bytes(&self) -> usize {
        self.head_bytes
    }

    /// The most headers a request may have.
    pub const fn max_headers(&self) -> usize {
        self.headers
    }
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits::new()
    }
}

/// Serves `app` (a generated router, nested or layered as you like) over
/// HTTP/1.1 on `listener` within `limits`, until `shutdown` completes:
/// then it stops accepting, lets every connection finish the request it is
/// answering, and returns.
///
/// ```no_run
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// use krosai_runtime::server::{serve, ServeLimits};
///
/// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// // `stop.send(())` (or dropping `stop`) shuts the server down.
/// serve(listener, app, ServeLimits::new(), async {
///     let _ = stopped.await;
/// })
/// .await
/// # }
/// ```
pub async fn serve<F>(
    listener: TcpListener,
    app: axum::Router,
    limits: ServeLimits,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()>,
{
    let permits = Arc::new(Semaphore::new(limits.connections));
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit,
            () = &mut shutdown => break,
        };
        // The semaphore is never closed.
        let Ok(permit) = permit else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match stream {
            Ok((stream, _)) => stream,
            // A connection reset before it was accepted, or no file
            // descriptor left: try again shortly, never give up serving.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head_timeout)
                .max_buf_size(limits.head_bytes)
                .max_header_size(limits.head_bytes)
                .max_headers(limits.headers);
            let connection = builder
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = async { drop(stopped.wait_for(|stop| *stop).await) } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let _ = stop.send(true);
    // Every connection holds a permit until it is done.
    let all = u32::try_from(limits.connections).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    use tokio::net::TcpStream;

    use super::*;

    /// A server of a one-route app within `limits`, and what stops it.
    async fn start(
        limits: ServeLimits,
    ) -> (
        std::net::SocketAddr,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<std::io::Result<()>>,
    ) {
        let app = axum::Router::new().route(
            "/",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                "ok"
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        (address, stop, server)
    }

    /// Sends `request` and reads until the server closes the connection.
    async fn exchange(address: std::net::SocketAddr, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn requests_are_answered_and_oversized_heads_are_431() {
        let (address, _stop, _server) =
            start(ServeLimits::new().head_bytes(8192).headers(10)).await;
        let answer = exchange(
            address,
            b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let long = format!(
            "GET / HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n",
            "a".repeat(20_000)
        );
        let answer = exchange(address, long.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
        let many: String = (0..20).map(|i| format!("x-{i}: 1\r\n")).collect();
        let many = format!("GET / HTTP/1.1\r\nhost: x\r\n{many}\r\n");
        let answer = exchange(address, many.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    }

    #[tokio::test]
    async fn a_head_trickled_in_or_an_idle_connection_is_closed_at_the_timeout() {
        let timeout = Duration::from_millis(300);
        let (address, _stop, _server) = start(ServeLimits::new().head_timeout(timeout)).await;
        let started = Instant::now();
        let mut stream = TcpStream::connect(address).await.unwrap();
        // One byte of a head every 50 ms: never complete in time.
        let mut closed = false;
        for byte in b"GET / HTTP/1.1\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            .iter()
            .cycle()
            .take(200)
        {
            if stream.write_all(&[*byte]).await.is_err() {
                closed = true;
                break;
            }
            let mut buffer = [0; 64];
            // An answer or the end of the connection: cut off.
            let read = tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buffer));
            if read.await.is_ok() {
                closed = true;
                break;
            }
        }
        assert!(closed, "the trickled head was never cut off");
        assert!(started.elapsed() >= timeout);
        // An idle connection (nothing sent) is closed too.
        let mut idle = TcpStream::connect(address).await.unwrap();
        let mut buffer = [0; 64];
        let read = tokio::time::timeout(Duration::from_secs(10), idle.read(&mut buffer)).await;
        assert!(matches!(read, Ok(Ok(0) | Err(_))), "{read:?}");
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_and_shutdown_finishes_what_runs() {
        let (address, stop, server) = start(ServeLimits::new().connections(1)).await;
        // The first connection holds the only permit while idle.
        let mut first = TcpStream::connect(address).await.unwrap();
        first
            .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buffer = [0; 256];
        let read = first.read(&mut buffer).await.unwrap();
        assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
        let second = tokio::spawn(exchange(
            address,
            b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        ));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!second.is_finished(), "served beyond the limit");
        drop(first);
        let answer = second.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        // A request in flight at shutdown is answered, then the server
        // returns.
        let third = tokio::spawn(exchange(address, b"GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
        tokio::time::sleep(Duration::from_millis(30)).await;
        stop.send(()).unwrap();
        let answer = third.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        server.await.unwrap().unwrap();
    }
}
