//! ModifyDBInstanceSSL's documented rules, and the SSL cycle as DescribeDBInstanceSSL and
//! DescribeDBInstanceAttribute report it, over loopback.

mod support;

use std::time::{Duration, SystemTime};

use dds_emulator::Clock as _;
use dds_emulator::{
    Config, DEMO_CREATING, DEMO_LOCKED, DEMO_RS32, DEMO_RS40, DEMO_RS44_SSL, DEMO_SHARDED,
    Emulator, ManualClock,
};
use serde_json::Value;
use support::{Call, start_with_clock, test_epoch};

const RESTART: Duration = Duration::from_secs(3);

fn modify(id: &str, action: &str, at: SystemTime) -> Call {
    Call::new("ModifyDBInstanceSSL")
        .param("DBInstanceId", id)
        .param("SSLAction", action)
        .at(at)
}

async fn ssl_of(emulator: &Emulator, id: &str, at: SystemTime) -> Value {
    Call::new("DescribeDBInstanceSSL")
        .param("DBInstanceId", id)
        .at(at)
        .send(emulator)
        .await
        .assert_ok()
}

async fn status_of(emulator: &Emulator, id: &str, at: SystemTime) -> String {
    let body = Call::new("DescribeDBInstanceAttribute")
        .param("DBInstanceId", id)
        .at(at)
        .send(emulator)
        .await
        .assert_ok();
    body["DBInstances"]["DBInstance"][0]["DBInstanceStatus"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn each_refusal_rule_answers_its_documented_code_and_status() {
    let (emulator, _clock) = start_with_clock(RESTART).await;
    let now = test_epoch();
    let cases = [
        (
            "dds-does-not-exist",
            "Open",
            404,
            "InvalidDBInstanceId.NotFound",
        ),
        (DEMO_CREATING, "Open", 403, "IncorrectDBInstanceState"),
        (DEMO_LOCKED, "Open", 403, "IncorrectDBInstanceLockMode"),
        (DEMO_RS32, "Open", 403, "IncorrectEngineVersion"),
        (DEMO_SHARDED, "Open", 403, "IncorrectDBInstanceType"),
        (DEMO_RS44_SSL, "Open", 400, "SSLAlreadyEnabled"),
        (DEMO_RS40, "Close", 400, "SSLAlreadyDisabled"),
        (DEMO_RS40, "Update", 403, "SSLNotEnabled"),
    ];
    for (id, action, status, code) in cases {
        let reply = modify(id, action, now).send(&emulator).await;
        assert_eq!(
            (reply.status, reply.code().as_str()),
            (status, code),
            "{action} on {id}: {}",
            reply.text
        );
    }

    // Nothing changed: every refusal left its instance as it was.
    assert_eq!(
        emulator.instances(),
        dds_emulator::Fixture::builtin().instances
    );
}

#[tokio::test]
async fn the_full_cycle_open_wait_describe_update_close() {
    let (emulator, clock) = start_with_clock(RESTART).await;
    let now = test_epoch();
    let advance = |by: Duration| {
        clock.advance(by);
        clock.now()
    };

    // Open: the instance restarts, SSL is still closed until it is back.
    let body = modify(DEMO_RS40, "Open", now)
        .send(&emulator)
        .await
        .assert_ok();
    assert!(body["RequestId"].is_string());
    assert_eq!(status_of(&emulator, DEMO_RS40, now).await, "SSLModifying");
    assert_eq!(
        ssl_of(&emulator, DEMO_RS40, now).await["SSLStatus"],
        "Closed"
    );
    modify(DEMO_RS40, "Close", now)
        .send(&emulator)
        .await
        .assert_error(403, "IncorrectDBInstanceState");

    let t = advance(RESTART);
    assert_eq!(status_of(&emulator, DEMO_RS40, t).await, "Running");
    let ssl = ssl_of(&emulator, DEMO_RS40, t).await;
    assert_eq!(ssl["SSLStatus"], "Open");
    assert_eq!(
        ssl["CertCommonName"],
        "dds-demo-rs40.mongodb.rds.aliyuncs.com"
    );
    let first_expiry = ssl["SSLExpiredTime"].as_str().unwrap().to_owned();
    assert_eq!(
        first_expiry, "2027-05-28T20:26:43Z",
        "a year after the restart ended"
    );

    // Update renews the certificate: a later expiry.
    let t = advance(Duration::from_secs(3600));
    modify(DEMO_RS40, "Update", t)
        .send(&emulator)
        .await
        .assert_ok();
    assert_eq!(status_of(&emulator, DEMO_RS40, t).await, "SSLModifying");
    let t = advance(RESTART);
    let ssl = ssl_of(&emulator, DEMO_RS40, t).await;
    assert_eq!(ssl["SSLStatus"], "Open");
    assert_eq!(ssl["SSLExpiredTime"], "2027-05-28T21:26:46Z");

    // Close.
    modify(DEMO_RS40, "Close", t)
        .send(&emulator)
        .await
        .assert_ok();
    let t = advance(RESTART);
    assert_eq!(status_of(&emulator, DEMO_RS40, t).await, "Running");
    let ssl = ssl_of(&emulator, DEMO_RS40, t).await;
    assert_eq!(ssl["SSLStatus"], "Closed");
    assert_eq!(ssl["CertCommonName"], "");
}

#[tokio::test]
async fn the_cycle_completes_in_real_time_with_a_short_restart() {
    let emulator = Emulator::start(Config::default().restart_time(Duration::from_millis(300)))
        .await
        .unwrap();
    modify(DEMO_RS40, "Open", SystemTime::now())
        .send(&emulator)
        .await
        .assert_ok();
    let started = std::time::Instant::now();
    loop {
        let status = status_of(&emulator, DEMO_RS40, SystemTime::now()).await;
        if status == "Running" {
            break;
        }
        assert_eq!(status, "SSLModifying");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never back to Running"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        ssl_of(&emulator, DEMO_RS40, SystemTime::now()).await["SSLStatus"],
        "Open"
    );
}

#[tokio::test]
async fn switch_mode_1_waits_for_the_maintenance_window() {
    // test_epoch() is 20:26:40Z; the built-in window is 18:00Z-22:00Z, so start the clock
    // before it opens.
    let clock = std::sync::Arc::new(ManualClock::new(test_epoch()));
    let morning = test_epoch() - Duration::from_secs(10 * 3600);
    clock.set(morning);
    let emulator = Emulator::start(Config::default().clock(clock.clone()).restart_time(RESTART))
        .await
        .unwrap();

    modify(DEMO_RS40, "Open", morning)
        .param("SwitchMode", "1")
        .send(&emulator)
        .await
        .assert_ok();
    assert_eq!(status_of(&emulator, DEMO_RS40, morning).await, "Running");
    assert_eq!(
        ssl_of(&emulator, DEMO_RS40, morning).await["SSLStatus"],
        "Closed"
    );
    // A second change while one is scheduled is refused.
    modify(DEMO_RS40, "Open", morning)
        .send(&emulator)
        .await
        .assert_error(403, "IncorrectDBInstanceState");

    // 18:00:01Z: the window is open, the restart has begun.
    let window = SystemTime::UNIX_EPOCH
        + Duration::from_secs(1_780_000_000 / 86_400 * 86_400 + 18 * 3600 + 1);
    clock.set(window);
    assert_eq!(
        status_of(&emulator, DEMO_RS40, window).await,
        "SSLModifying"
    );
    clock.set(window + RESTART);
    assert_eq!(
        status_of(&emulator, DEMO_RS40, window + RESTART).await,
        "Running"
    );
    assert_eq!(
        ssl_of(&emulator, DEMO_RS40, window + RESTART).await["SSLStatus"],
        "Open"
    );
}

#[tokio::test]
async fn switch_mode_0_and_an_unknown_switch_mode() {
    let (emulator, _clock) = start_with_clock(RESTART).await;
    modify(DEMO_RS40, "Open", test_epoch())
        .param("SwitchMode", "0")
        .send(&emulator)
        .await
        .assert_ok();
    assert_eq!(
        status_of(&emulator, DEMO_RS40, test_epoch()).await,
        "SSLModifying"
    );

    let message = modify(DEMO_RS44_SSL, "Close", test_epoch())
        .param("SwitchMode", "2")
        .send(&emulator)
        .await
        .assert_error(400, "InvalidParameter");
    assert!(message.contains("SwitchMode"), "{message}");
}

#[tokio::test]
async fn describe_operations_answer_not_found_for_unknown_instances() {
    let (emulator, _clock) = start_with_clock(RESTART).await;
    for action in ["DescribeDBInstanceSSL", "DescribeDBInstanceAttribute"] {
        Call::new(action)
            .param("DBInstanceId", "dds-does-not-exist")
            .at(test_epoch())
            .send(&emulator)
            .await
            .assert_error(404, "InvalidDBInstanceId.NotFound");
    }
}
