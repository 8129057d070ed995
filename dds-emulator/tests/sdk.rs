//! The SDK's `Client` against the emulator over loopback: the SSL cycle, the documented
//! errors as typed variants, gateway errors, and the throttling retry path.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dds_api::credentials::Credentials;
use dds_api::operations::describe_db_instance_ssl::DescribeDbInstanceSsl;
use dds_api::operations::modify_db_instance_ssl::{
    ModifyDbInstanceSsl, ModifyDbInstanceSslError, SslAction, SwitchMode,
};
use dds_api::signing::SignatureVersion;
use dds_api::{Client, Error, GatewayCode, RetryPolicy};
use dds_emulator::{
    Config, DEMO_CREATING, DEMO_LOCKED, DEMO_RS32, DEMO_RS40, DEMO_RS44_SSL, DEMO_SHARDED,
    Emulator, ManualClock,
};

const RESTART: Duration = Duration::from_secs(3);

fn client(emulator: &Emulator, version: SignatureVersion) -> Client {
    client_with(emulator, version, support::default_credentials())
}

fn client_with(emulator: &Emulator, version: SignatureVersion, credentials: Credentials) -> Client {
    Client::builder()
        .endpoint(emulator.url())
        .credentials(credentials)
        .signature_version(version)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client for the emulator")
}

/// An emulator whose clock follows the system clock from now on, but can be pushed forward, so
/// the SDK's real timestamps stay inside the 15-minute window while restarts finish at once.
async fn start_with_clock() -> (Emulator, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    let emulator = Emulator::start(Config::default().clock(clock.clone()).restart_time(RESTART))
        .await
        .unwrap();
    (emulator, clock)
}

async fn status(client: &Client, id: &str) -> String {
    let answer = client
        .describe_db_instance_attribute()
        .db_instance_id(id)
        .send()
        .await
        .expect("DescribeDBInstanceAttribute");
    let instances = answer.db_instances.expect("DBInstances").db_instance;
    instances[0].db_instance_status.clone().unwrap_or_default()
}

async fn ssl_status(client: &Client, id: &str) -> (String, String, String) {
    let answer = client
        .call(
            DescribeDbInstanceSsl::builder()
                .db_instance_id(id)
                .build()
                .unwrap(),
        )
        .await
        .expect("DescribeDBInstanceSSL");
    (
        answer
            .ssl_status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        answer.cert_common_name.unwrap_or_default(),
        answer.ssl_expired_time.unwrap_or_default(),
    )
}

async fn modify(
    client: &Client,
    id: &str,
    action: SslAction,
) -> Result<(), Error<ModifyDbInstanceSslError>> {
    client
        .modify_db_instance_ssl()
        .db_instance_id(id)
        .ssl_action(action)
        .send()
        .await
        .map(|_| ())
}

#[tokio::test]
async fn the_sdk_runs_the_full_ssl_cycle_with_either_signature() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let (emulator, clock) = start_with_clock().await;
        let client = client(&emulator, version);

        modify(&client, DEMO_RS40, SslAction::Open).await.unwrap();
        assert_eq!(status(&client, DEMO_RS40).await, "SSLModifying");
        clock.advance(RESTART);
        assert_eq!(status(&client, DEMO_RS40).await, "Running");
        let (ssl, name, opened_expiry) = ssl_status(&client, DEMO_RS40).await;
        assert_eq!(ssl, "Open", "{version}");
        assert_eq!(name, "dds-demo-rs40.mongodb.rds.aliyuncs.com");

        clock.advance(Duration::from_secs(60));
        modify(&client, DEMO_RS40, SslAction::Update).await.unwrap();
        clock.advance(RESTART);
        let (ssl, _, renewed_expiry) = ssl_status(&client, DEMO_RS40).await;
        assert_eq!(ssl, "Open");
        assert!(
            renewed_expiry > opened_expiry,
            "{renewed_expiry} > {opened_expiry}"
        );

        modify(&client, DEMO_RS40, SslAction::Close).await.unwrap();
        clock.advance(RESTART);
        assert_eq!(status(&client, DEMO_RS40).await, "Running");
        assert_eq!(ssl_status(&client, DEMO_RS40).await.0, "Closed");
    }
}

#[tokio::test]
async fn documented_refusals_arrive_as_their_typed_variants() {
    let (emulator, _clock) = start_with_clock().await;
    let client = client(&emulator, SignatureVersion::V3);

    let refused = |id: &'static str, action| {
        let client = client.clone();
        async move {
            modify(&client, id, action)
                .await
                .expect_err("refused")
                .into_service()
                .expect("an error of the operation")
        }
    };
    use ModifyDbInstanceSslError as E;
    assert!(matches!(
        refused("dds-nope", SslAction::Open).await,
        E::InvalidDbInstanceIdNotFound(_)
    ));
    assert!(matches!(
        refused(DEMO_CREATING, SslAction::Open).await,
        E::IncorrectDbInstanceState(_)
    ));
    assert!(matches!(
        refused(DEMO_LOCKED, SslAction::Open).await,
        E::IncorrectDbInstanceLockMode(_)
    ));
    assert!(matches!(
        refused(DEMO_RS32, SslAction::Open).await,
        E::IncorrectEngineVersion(_)
    ));
    assert!(matches!(
        refused(DEMO_RS44_SSL, SslAction::Open).await,
        E::SslAlreadyEnabled(_)
    ));
    assert!(matches!(
        refused(DEMO_RS40, SslAction::Close).await,
        E::SslAlreadyDisabled(_)
    ));
    assert!(matches!(
        refused(DEMO_RS40, SslAction::Update).await,
        E::SslNotEnabled(_)
    ));
    // Not a documented code of the operation: kept whole, with status and request id.
    match refused(DEMO_SHARDED, SslAction::Open).await {
        E::Unhandled(error) => {
            assert_eq!(error.code(), "IncorrectDBInstanceType");
            assert_eq!(error.status(), 403);
            assert!(error.request_id().is_some());
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

#[tokio::test]
async fn switch_mode_travels_through_the_sdk() {
    let (emulator, _clock) = start_with_clock().await;
    let client = client(&emulator, SignatureVersion::V3);
    let request = ModifyDbInstanceSsl::builder()
        .db_instance_id(DEMO_RS40)
        .ssl_action(SslAction::Open)
        .switch_mode(SwitchMode::MaintenanceWindow)
        .build()
        .unwrap();
    client.call(request).await.unwrap();
    let pending = emulator
        .instances()
        .into_iter()
        .find(|i| i.id == DEMO_RS40)
        .and_then(|i| i.pending)
        .expect("a change is scheduled");
    assert_eq!(pending.action, dds_emulator::SslChange::Open);
}

#[tokio::test]
async fn gateway_refusals_arrive_as_gateway_errors() {
    let (emulator, clock) = start_with_clock().await;

    let stranger = client_with(
        &emulator,
        SignatureVersion::V3,
        Credentials::new("nobody", "nothing"),
    );
    let error = modify(&stranger, DEMO_RS40, SslAction::Open)
        .await
        .unwrap_err();
    match error {
        Error::Gateway(gateway) => {
            assert_eq!(gateway.kind(), GatewayCode::InvalidAccessKeyIdNotFound);
            assert_eq!(gateway.error.status(), 404);
        }
        other => panic!("expected a gateway error, got {other:?}"),
    }

    let wrong_secret = client_with(
        &emulator,
        SignatureVersion::V1,
        Credentials::new(Config::DEFAULT_ACCESS_KEY_ID, "wrong"),
    );
    let error = modify(&wrong_secret, DEMO_RS40, SslAction::Open)
        .await
        .unwrap_err();
    let gateway = match error {
        Error::Gateway(gateway) => gateway,
        other => panic!("expected a gateway error, got {other:?}"),
    };
    assert_eq!(gateway.kind(), GatewayCode::SignatureDoesNotMatch);
    assert!(
        gateway
            .error
            .message()
            .contains("server string to sign is:POST&%2F&")
    );

    // The emulator's clock runs 20 minutes ahead of the SDK's.
    clock.advance(Duration::from_secs(20 * 60));
    let client = client(&emulator, SignatureVersion::V3);
    let error = modify(&client, DEMO_RS40, SslAction::Open)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Gateway(g) if g.kind() == GatewayCode::InvalidTimeStampExpired),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_sdk_retries_through_throttling() {
    let emulator = Emulator::start(Config::default().throttle(2))
        .await
        .unwrap();
    let client = Client::builder()
        .endpoint(emulator.url())
        .credentials(support::default_credentials())
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(10)
                .base_delay(Duration::from_millis(200))
                .max_delay(Duration::from_secs(1)),
        )
        .build()
        .unwrap();
    // Six reads at once against two per second: some are throttled and retried.
    let mut calls = Vec::new();
    for _ in 0..6 {
        let client = client.clone();
        calls.push(tokio::spawn(async move {
            client
                .describe_db_instance_ssl()
                .db_instance_id(DEMO_RS40)
                .send()
                .await
        }));
    }
    for call in calls {
        call.await
            .unwrap()
            .expect("every read succeeds after retries");
    }

    // Without retries the same burst shows the throttling answer itself.
    let no_retry = client_with(
        &emulator,
        SignatureVersion::V3,
        support::default_credentials(),
    );
    let mut throttled = 0;
    for _ in 0..4 {
        match no_retry
            .describe_db_instance_ssl()
            .db_instance_id(DEMO_RS40)
            .send()
            .await
        {
            Err(Error::Gateway(g)) if g.kind() == GatewayCode::Throttling => {
                assert_eq!(g.error.code(), "Throttling.User");
                throttled += 1;
            }
            Ok(_) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert!(throttled > 0);
}

#[tokio::test]
async fn the_in_process_emulator_suits_the_clis_demo_mode() {
    // Defaults: loopback, a known key pair, a demo-friendly restart; the demo enables SSL on
    // dds-demo-rs40 and waits for Running.
    let emulator = Emulator::start(Config::default()).await.unwrap();
    assert!(emulator.url().starts_with("http://127.0.0.1:"));
    let client = client(&emulator, SignatureVersion::V3);
    modify(&client, DEMO_RS40, SslAction::Open).await.unwrap();
    let started = std::time::Instant::now();
    while status(&client, DEMO_RS40).await != "Running" {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "never Running again"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The instance stayed in SSLModifying for the default restart time (3 s), less the
    // time the first status read took.
    let waited = started.elapsed();
    assert!(
        waited >= Config::DEFAULT_RESTART_TIME - Duration::from_millis(500),
        "back to Running after only {waited:?}"
    );
    emulator.stop().await;
}
