//! Errors answered by the service.
//!
//! CONTRACT (owned by the runtime work, extended there): `ServiceError` is what generated
//! per-operation error enums wrap; keep its public constructor and accessors stable.

use std::fmt;

/// An error answered by the server: HTTP status, code, message and request id.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status of the answer.
    pub status: u16,
    /// The `Code` field, e.g. `SSLAlreadyEnabled`.
    pub code: String,
    /// The `Message` field.
    pub message: String,
    /// The `RequestId` field, when the body had one.
    pub request_id: Option<String>,
    /// The `HostId` field, when the body had one.
    pub host_id: Option<String>,
    /// The `Recommend` field (a troubleshooting link), when the body had one.
    pub recommend: Option<String>,
}

impl ServiceError {
    /// A service error with only status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
            host_id: None,
            recommend: None,
        }
    }

    /// The `Code` field.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `Message` field.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `RequestId` field, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("host_id", &self.host_id)
            .field("recommend", &self.recommend)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} {}: {}", self.status, self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}
