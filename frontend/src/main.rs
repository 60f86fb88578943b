//! `uhd-portal`: the portal's one binary. `serve` (the default) runs the web server after
//! applying pending migrations; `migrate`, `seed` and `demo-data` manage the database;
//! `create-admin` makes a system admin (the first one on a fresh install); `verify-audit`
//! checks the audit log's hash chain.

use backend::{demo, seeds, telemetry, Settings};
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use std::net::TcpListener;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "uhd-portal", version, about = "UHD industry registry and subsidy portal")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies pending migrations first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the reference data in seeds/ (idempotent).
    Seed,
    /// Generate deterministic bulk demo data for demos and load tests.
    DemoData {
        /// Number of enterprises to create.
        #[arg(long, default_value_t = 1000)]
        enterprises: usize,
        /// Number of applications to create.
        #[arg(long, default_value_t = 0)]
        applications: usize,
        /// Random seed; the same seed always gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Audit records to append to the chain (sign-ins of nobody in particular), for the
        /// `verify-audit` benchmark.
        #[arg(long, default_value_t = 0)]
        audit_records: usize,
    },
    /// Create a system admin (or make an existing account one). The password is asked for on
    /// the terminal, or read from the first line of standard input when that is not a terminal.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Development only: one demo account per role (a company admin of a tenant company, a
    /// park manager per base, an agency reviewer and lead, an expert, a system admin), each
    /// with a new random password, printed once. Run after `demo-data`.
    DemoAccounts,
    /// Delete every demo account (a production server does not start while any exists).
    RemoveDemoAccounts,
    /// Check the whole audit log: names the first record that was altered, removed or
    /// reordered and exits with status 1, or says that all N records verify.
    VerifyAudit,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load()?;
    telemetry::init(settings.is_production());
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            backend::open_database(&settings)?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Seed => {
            let db = backend::open_database(&settings)?;
            let report = db.write_blocking(|conn| Ok(seeds::load_all(conn)?)).map_err(|e| anyhow::anyhow!("seed: {e:?}"))?;
            println!("seed: loaded {:?}, unchanged {:?}", report.loaded, report.unchanged);
            Ok(())
        }
        Command::DemoData { enterprises, applications, seed, audit_records } => {
            let db = backend::open_database(&settings)?;
            db.write_blocking(|conn| Ok(seeds::load_all(conn)?)).map_err(|e| anyhow::anyhow!("seed: {e:?}"))?;
            let started = Instant::now();
            // A bulk load, not a user's change: many batches, outside the write path.
            let report = db.maintenance(|conn| demo::generate(conn, enterprises, applications, seed))?;
            // The one file every demo material record names, so its download finds it.
            let storage = backend::storage::Storage::from_settings(&settings)?;
            actix_web::rt::System::new().block_on(storage.put(demo::DEMO_FILE.to_vec()))?;
            if report.already_present {
                println!("demo-data: the data for seed {seed} is already present; nothing to do");
            } else {
                println!(
                    "demo-data: {} enterprises and {} applications in {:.1} s",
                    report.enterprises,
                    report.applications,
                    started.elapsed().as_secs_f64()
                );
            }
            if audit_records > 0 {
                let started = Instant::now();
                let meta = backend::accounts::audit::RequestMeta::background("demo-data");
                // Through the write path, 10,000 records a transaction: each joins the chain.
                let mut left = audit_records;
                while left > 0 {
                    let batch = left.min(10_000);
                    db.write_blocking(|conn| {
                        for i in 0..batch {
                            let detail = serde_json::json!({ "demo": true, "n": audit_records - left + i });
                            backend::accounts::audit::record(conn, &meta, backend::accounts::audit::Event::new("login_succeeded").detail(detail))?;
                        }
                        Ok(())
                    })
                    .map_err(|e| anyhow::anyhow!("demo-data: {e}"))?;
                    left -= batch;
                }
                println!("demo-data: {audit_records} audit records in {:.1} s", started.elapsed().as_secs_f64());
            }
            Ok(())
        }
        Command::DemoAccounts => {
            anyhow::ensure!(!settings.is_production(), "demo-accounts: demo accounts are for development only (PORTAL_ENV=production)");
            let db = backend::open_database(&settings)?;
            let accounts = db.write_blocking(backend::demo_accounts::create_or_refresh).map_err(|e| anyhow::anyhow!("demo-accounts: {e}"))?;
            println!("Demo accounts (development only; new passwords on every start, shown only here):");
            for a in &accounts {
                println!("  {:<44} {:<44} {}{}", a.who, a.email, a.password, if a.staff { "  (staff)" } else { "" });
            }
            println!("Sign in at /login with an email and password above. Staff accounts enrol an authenticator");
            println!("app (TOTP: scan the QR code or type the key) at their first sign-in, as real staff do.");
            Ok(())
        }
        Command::RemoveDemoAccounts => {
            let db = backend::open_database(&settings)?;
            let n = db.write_blocking(backend::demo_accounts::remove).map_err(|e| anyhow::anyhow!("remove-demo-accounts: {e}"))?;
            println!("remove-demo-accounts: {n} demo accounts removed");
            Ok(())
        }
        Command::VerifyAudit => {
            let db = backend::open_database(&settings)?;
            let mut conn = db.pool().get()?;
            match backend::accounts::audit::verify(&mut conn)? {
                backend::accounts::audit::Verification::Intact { records } => {
                    println!("verify-audit: all {records} records verify");
                    Ok(())
                }
                backend::accounts::audit::Verification::Broken { records_checked, problem } => {
                    eprintln!("verify-audit: {problem} ({records_checked} records before it verify)");
                    std::process::exit(1)
                }
            }
        }
        Command::CreateAdmin { email, name } => {
            let db = backend::open_database(&settings)?;
            db.write_blocking(|conn| Ok(seeds::load_all(conn)?)).map_err(|e| anyhow::anyhow!("seed: {e:?}"))?;
            let password = read_password()?;
            match db.write_blocking(|conn| backend::accounts::admin_users::create_admin(conn, &email, &name, &password)) {
                Ok(id) => {
                    println!("create-admin: {email} (user {id}) is a system admin; sign in at /login");
                    Ok(())
                }
                Err(backend::AppError::Validation(fields)) => {
                    for (field, problems) in fields {
                        for p in problems {
                            eprintln!("create-admin: {field}: {}", p.message);
                        }
                    }
                    std::process::exit(2)
                }
                Err(backend::AppError::Conflict { message, .. }) => {
                    eprintln!("create-admin: {message}");
                    std::process::exit(2)
                }
                Err(e) => Err(anyhow::anyhow!("create-admin: {e}")),
            }
        }
    }
}

/// The new admin's password: prompted without echo on a terminal, else one line of stdin.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password for the new admin: ")?;
        let again = rpassword::prompt_password("Repeat the password: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

#[actix_web::main]
async fn serve(mut settings: Settings) -> anyhow::Result<()> {
    let db = backend::open_database(&settings)?;
    if settings.is_production() {
        let demo = backend::demo_accounts::count(&mut *db.pool().get()?)?;
        anyhow::ensure!(
            demo == 0,
            "{demo} demo accounts exist (made by demo-accounts for development); a production server does not start \
             with them: run `uhd-portal remove-demo-accounts`"
        );
    }
    let conf = get_configuration(None)?;
    let addr = conf.leptos_options.site_addr;
    // Development without a configured address: links point where this server listens
    // (production refuses to start without PORTAL_PUBLIC_URL).
    if settings.public_url.is_none() {
        settings.public_url = Some(format!("http://{addr}"));
        settings.loopback_aliases = !settings.is_production();
    }
    let listener = TcpListener::bind(addr)?;
    tracing::info!(%addr, database = %db.url().redacted(), env = ?settings.env, "serving UHD Portal");
    let state = backend::serving_state(settings, db)?;
    frontend::server::build(state, conf.leptos_options, listener, |_| {})?.await?;
    Ok(())
}
