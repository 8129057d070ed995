//! The errors the emulator answers with: the gateway's codes, HTTP statuses and messages.

use std::borrow::Cow;

use dds_api::validation::{Rule, ValidationErrors};

/// An error answer: HTTP status, `Code` and `Message`. `RequestId`, `HostId` and `Recommend`
/// are added when the answer is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: Cow<'static, str>,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// `IncompleteSignature`: a signature parameter or header is missing or malformed.
    pub(crate) fn incomplete_signature(detail: impl std::fmt::Display) -> Self {
        Self::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards: {detail}"),
        )
    }

    /// `SignatureDoesNotMatch`, carrying the string the server signed so a client author can
    /// compare it with their own.
    pub(crate) fn signature_does_not_match(server_string_to_sign: &str) -> Self {
        Self::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{server_string_to_sign}"
            ),
        )
    }

    pub(crate) fn access_key_not_found() -> Self {
        Self::new(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        )
    }

    pub(crate) fn invalid_signature_method(found: &str) -> Self {
        Self::new(
            400,
            "InvalidSignatureMethod",
            format!("Specified signature method {found:?} is not supported."),
        )
    }

    pub(crate) fn timestamp_format(found: &str) -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Format",
            format!(
                "Specified time stamp {found:?} does not match the format yyyy-MM-ddTHH:mm:ssZ (UTC)."
            ),
        )
    }

    pub(crate) fn timestamp_expired(found: &str, server_time: &str) -> Self {
        Self::new(
            400,
            "InvalidTimeStamp.Expired",
            format!(
                "Specified time stamp {found} is more than 15 minutes away from the server time {server_time}."
            ),
        )
    }

    pub(crate) fn nonce_used() -> Self {
        Self::new(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        )
    }

    pub(crate) fn invalid_format(found: &str) -> Self {
        Self::new(
            400,
            "InvalidParameter.Format",
            format!("Specified parameter Format {found:?} is not valid: use JSON or XML."),
        )
    }

    pub(crate) fn invalid_version(found: &str, served: &str) -> Self {
        Self::new(
            400,
            "InvalidVersion",
            format!(
                "Specified parameter Version {found:?} is not valid: this endpoint serves {served}."
            ),
        )
    }

    pub(crate) fn action_not_found(action: &str) -> Self {
        Self::new(
            404,
            "InvalidAction.NotFound",
            format!("Specified api {action:?} is not found, please check your url and method."),
        )
    }

    /// `Missing{Name}` for an absent parameter, e.g. `MissingDBInstanceId`.
    pub(crate) fn missing_parameter(name: &str) -> Self {
        Self::new(
            400,
            format!("Missing{name}"),
            format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
        )
    }

    /// `InvalidParameter` for a value the operation does not accept.
    pub(crate) fn invalid_parameter(detail: impl std::fmt::Display) -> Self {
        Self::new(
            400,
            "InvalidParameter",
            format!("The specified parameter is not valid: {detail}."),
        )
    }

    /// The answer to parameters that break the operation's spec: `Missing{Name}` for the
    /// first absent required parameter, otherwise `InvalidParameter` naming every violation.
    pub(crate) fn from_validation(errors: &ValidationErrors) -> Self {
        if let Some(missing) = errors
            .violations()
            .iter()
            .find(|v| matches!(v.rule, Rule::Required))
        {
            return Self::missing_parameter(&missing.parameter);
        }
        let detail = errors
            .violations()
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        Self::invalid_parameter(detail)
    }

    pub(crate) fn throttled() -> Self {
        Self::new(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        )
    }

    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        Self::new(
            500,
            "InternalError",
            format!("The request processing has failed due to some unknown error: {detail}"),
        )
    }

    /// `InvalidDBInstanceId.NotFound`.
    pub(crate) fn instance_not_found() -> Self {
        Self::new(
            404,
            "InvalidDBInstanceId.NotFound",
            "Specified instance does not exist.",
        )
    }
}
