//! Per-operation error types: a variant per documented code, `Unhandled` for the rest.

use dds_api::operations::ModifyDbInstanceSslError;
use dds_api::{OperationError, ServiceError};

fn answer(status: u16, code: &str) -> ServiceError {
    let mut error = ServiceError::new(status, code, "the message");
    error.request_id = Some("REQ-1".to_owned());
    error
}

#[test]
fn documented_codes_get_their_own_variant() {
    let error = ModifyDbInstanceSslError::from_service_error(answer(400, "SSLAlreadyEnabled"));
    assert!(matches!(
        error,
        ModifyDbInstanceSslError::SslAlreadyEnabled(_)
    ));

    let error =
        ModifyDbInstanceSslError::from_service_error(answer(404, "InvalidDBInstanceId.NotFound"));
    assert!(matches!(
        error,
        ModifyDbInstanceSslError::InvalidDbInstanceIdNotFound(_)
    ));
}

#[test]
fn other_codes_are_kept_whole_in_unhandled() {
    let error = ModifyDbInstanceSslError::from_service_error(answer(503, "ServiceUnavailable"));
    let ModifyDbInstanceSslError::Unhandled(inner) = &error else {
        panic!("expected Unhandled, found {error:?}");
    };
    assert_eq!(inner.code(), "ServiceUnavailable");
    assert_eq!(inner.status(), 503);
}

#[test]
fn status_code_message_and_request_id_are_at_hand() {
    let error =
        ModifyDbInstanceSslError::from_service_error(answer(403, "IncorrectDBInstanceState"));
    let inner = error.service_error();
    assert_eq!(inner.status(), 403);
    assert_eq!(inner.code(), "IncorrectDBInstanceState");
    assert_eq!(inner.message(), "the message");
    assert_eq!(inner.request_id(), Some("REQ-1"));
    assert_eq!(
        error.to_string(),
        "HTTP 403 IncorrectDBInstanceState: the message (request id REQ-1)"
    );
}
