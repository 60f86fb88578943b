//! Pieces shared by every page.

pub mod chart;
pub mod filing;
pub mod form;
pub mod language_switch;
pub mod layout;
pub mod pager;
pub mod signed_in;
pub mod text;
