//! What every handler can reach: the settings and the database.

use crate::config::Settings;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
}
