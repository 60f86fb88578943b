//! Pieces shared by every page.

pub mod language_switch;
pub mod layout;
pub mod text;
