//! What a refused form brings back, without putting it in the URL: personal data (a name, an
//! email address, a phone number) does not belong in URLs, browser history or access logs. The
//! 303 back to the form carries only the error codes (`?err=field.code`); the typed values go
//! in a short-lived cookie (`uhd_refill`: HttpOnly, SameSite=Strict, two minutes, sent only to
//! that page's path) that names the page. When the browser opens that page, [`refill`] adds
//! the values to the request's query on the server, so the page fills its fields exactly as
//! from a query, and the answer removes the cookie: a second view of the page is empty again.

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, Uri};
use actix_web::middleware::Next;
use actix_web::HttpResponse;

use crate::components::text::url_encode as enc;

/// The cookie's name.
pub const REFILL_COOKIE: &str = "uhd_refill";

/// Larger values are not carried (browsers keep about 4 KB a cookie): the page then shows the
/// errors with empty fields.
const MAX_LEN: usize = 3800;

/// The cookie carrying `values` to `page` (a path, with no query), or `None` when there is
/// nothing to carry or too much.
pub fn cookie_for(page: &str, values: &[(&str, &str)], secure: bool) -> Option<Cookie<'static>> {
    let query: Vec<String> = values.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
    if query.is_empty() || !page.starts_with('/') || page.contains(['?', '#', ';', ',', ' ']) {
        return None;
    }
    // Encoded as a whole once more: actix-web percent-decodes cookie values when it reads them,
    // which would otherwise turn an encoded `&` inside a value into a separator.
    let value = enc(&format!("{page}?{}", query.join("&")));
    (value.len() <= MAX_LEN).then(|| {
        Cookie::build(REFILL_COOKIE, value).path(page.to_string()).http_only(true).same_site(SameSite::Strict).secure(secure).max_age(Duration::minutes(2)).finish()
    })
}

/// `response` with the values for `page` in the refill cookie (see [`cookie_for`]).
pub fn with_values(mut response: HttpResponse, page: &str, values: &[(&str, &str)], secure: bool) -> HttpResponse {
    if let Some(cookie) = cookie_for(page, values, secure) {
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// Middleware: on a GET of the page a refill cookie names, add its values to the query the
/// page sees, and remove the cookie in the answer.
pub async fn refill(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let carried = (req.method() == Method::GET)
        .then(|| req.cookie(REFILL_COOKIE))
        .flatten()
        .and_then(|c| c.value().split_once('?').filter(|(page, _)| *page == req.path()).map(|(page, query)| (page.to_string(), query.to_string())));
    let Some((page, query)) = carried else { return next.call(req).await };
    let path_and_query = match req.query_string() {
        "" => format!("{page}?{query}"),
        own => format!("{page}?{own}&{query}"),
    };
    if let Ok(uri) = path_and_query.parse::<Uri>() {
        req.head_mut().uri = uri;
    }
    let mut res = next.call(req).await?;
    let mut removal = Cookie::build(REFILL_COOKIE, "").path(page).finish();
    removal.make_removal();
    let _ = res.response_mut().add_cookie(&removal);
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_only_what_fits_for_a_page() {
        let c = cookie_for("/register", &[("email", "张@example.com"), ("phone", ""), ("company_name", "A&B")], false).unwrap();
        // What the middleware reads back once actix-web has decoded the cookie.
        let read = actix_web::cookie::Cookie::parse_encoded(format!("uhd_refill={}", c.value())).unwrap();
        assert_eq!(read.value(), "/register?email=%E5%BC%A0%40example.com&company_name=A%26B");
        assert_eq!(c.path(), Some("/register"));
        assert!(c.http_only().unwrap_or(false));
        assert!(cookie_for("/register", &[("email", "")], false).is_none(), "nothing typed, no cookie");
        let long = "张".repeat(300);
        assert!(cookie_for("/register", &[("plan", &long)], false).is_none(), "too long for a cookie");
    }
}
