//! One module per page.

pub mod account;
pub mod admin;
pub mod applications;
pub mod awards;
pub mod bases;
pub mod calendar;
pub mod claims;
pub mod home;
pub mod info;
pub mod jobs;
pub mod not_found;
pub mod notices;
pub mod program_admin;
pub mod programs;
pub mod registry;
pub mod review;
pub mod second_factor;
pub mod targets;
