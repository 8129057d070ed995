//! The Dds operations, generated at compile time from `specs/dds/2015-12-01`.
//!
//! Each operation has a module (`modify_db_instance_ssl`) with its request type and builder,
//! response types, error type and `META`; the main types are re-exported here. [`OPERATIONS`]
//! lists every operation's metadata, and [`PRODUCT`], [`VERSION`] and [`ENDPOINTS`] hold the
//! product facts.

dds_macros::product!("../specs/dds/2015-12-01");
