//! The operations served and the API version. Interim until the generated registry lands.
use dds_api::operation::OperationMeta;

pub(crate) static OPERATIONS: &[&OperationMeta] = &[];
pub(crate) const VERSION: &str = "2015-12-01";
