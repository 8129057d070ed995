//! CONTRACT PLACEHOLDER, replaced by the runtime work (issue 3).
//!
//! Generated code relies on exactly these items:
//! - `dds_api::Client` with `pub async fn call<R: Request>(&self, request: R)
//!   -> Result<R::Response, dds_api::Error<R::Error>>` (validates, signs, sends, decodes).
//! - `dds_api::Error<E>` with a variant `Validation(ValidationErrors)`.

use crate::operation::Request;
use crate::validation::ValidationErrors;

/// A client for the Dds API.
#[derive(Debug, Clone, Default)]
pub struct Client {}

/// Any failure of a call.
#[derive(Debug)]
pub enum Error<E> {
    /// The request broke a constraint of its spec; nothing was sent.
    Validation(ValidationErrors),
    /// The service answered with an error of the operation.
    Service(E),
}

impl Client {
    /// Validates, signs and sends a request, and decodes the answer.
    pub async fn call<R: Request>(&self, request: R) -> Result<R::Response, Error<R::Error>> {
        request.validate().map_err(Error::Validation)?;
        todo!("runtime work (issue 3)")
    }
}
