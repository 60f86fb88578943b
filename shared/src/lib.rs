//! Types and validation used by both the browser (compiled to wasm) and the server.
//! Everything here must compile for `wasm32-unknown-unknown`: no I/O, no database.

pub mod accounts;
pub mod applications;
pub mod awards;
pub mod calendar;
pub mod credit_code;
pub mod jobs;
pub mod dto;
pub mod errors;
pub mod experts;
pub mod filing;
pub mod programs;
pub mod project_form;
pub mod validation;
pub mod money;
pub mod notifications;
pub mod registry;
pub mod reports;
pub mod review;
pub mod targets;

pub use credit_code::{CreditCode, CreditCodeError};
pub use money::Fen;
