//! The fluent form: `client.modify_db_instance_ssl().db_instance_id(..).send()`.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use dds_api::operations::ModifyDbInstanceSsl;
use dds_api::operations::modify_db_instance_ssl::SslAction;
use dds_api::validation::Rule;
use dds_api::{Client, Error};

/// Polls a future that must finish without waiting (nothing here does I/O).
fn now<F: Future>(future: F) -> F::Output {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the future waited, but nothing here does I/O"),
    }
}

#[test]
fn the_client_starts_a_builder_for_each_operation() {
    let client = Client::default();
    let request = client
        .modify_db_instance_ssl()
        .db_instance_id("dds-bp1")
        .ssl_action(SslAction::Close)
        .build()
        .expect("complete");
    let direct = ModifyDbInstanceSsl::builder()
        .db_instance_id("dds-bp1")
        .ssl_action(SslAction::Close)
        .build()
        .expect("complete");
    assert_eq!(request, direct);
}

#[test]
fn send_checks_the_request_before_anything_is_sent() {
    let client = Client::default();
    let result = now(client
        .modify_db_instance_ssl()
        .db_instance_id("dds-bp1")
        .send());
    let Err(Error::Validation(errors)) = result else {
        panic!("expected a validation error, found {result:?}");
    };
    assert_eq!(errors.violations().len(), 1);
    assert_eq!(errors.violations()[0].parameter, "SSLAction");
    assert_eq!(errors.violations()[0].rule, Rule::Required);
}
