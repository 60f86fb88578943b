//! Who is calling, by network address: the client address behind trusted reverse proxies
//! (`PORTAL_TRUSTED_PROXIES`), the key rate limits count by (an IPv4 address or an IPv6 /64),
//! and address lists in the configuration (single addresses or CIDR ranges).

use actix_web::{web, HttpRequest};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};


/// `10.0.0.0/8`, `::1/128` or a bare address (a one-address range).
pub fn parse_net(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Parse a configured list; entries that do not parse were refused when the settings loaded.
pub fn parse_nets(list: &[String]) -> Vec<IpNet> {
    list.iter().filter_map(|s| parse_net(s)).collect()
}

/// An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is the IPv4 address it carries.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address: the peer itself, unless the peer is a trusted proxy; then the
/// `X-Forwarded-For` chain is read from the right, and the first address that is not a trusted
/// proxy is the client (every address to its left could have been written by the client).
pub fn resolve_client(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpNet]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let chain: Vec<IpAddr> = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .filter_map(|s| s.trim().parse::<IpAddr>().ok().map(canonical))
        .collect();
    let mut client = peer;
    for ip in chain.iter().rev() {
        client = *ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// The client address of a request (see [`resolve_client`]); `None` only without a peer
/// (requests made in-process).
pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(trusted) = req.app_data::<web::Data<TrustedProxies>>() else { return Some(canonical(peer)) };
    let headers: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
    Some(resolve_client(peer, &headers, &trusted.0))
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`PORTAL_TRUSTED_PROXIES`), as the
/// server gives them to every request (`web::Data`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub std::sync::Arc<Vec<IpNet>>);

/// What rate limits count by: an IPv4 address, or the /64 an IPv6 address is in (one
/// subscriber usually holds a whole /64).
pub fn rate_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let trusted = parse_nets(&["10.0.0.0/8".into(), "::1".into()]);
        // An untrusted peer: its header is ignored.
        assert_eq!(resolve_client(ip("203.0.113.9"), &["1.2.3.4"], &trusted), ip("203.0.113.9"));
        // A trusted proxy: the rightmost untrusted address is the client.
        assert_eq!(resolve_client(ip("10.1.1.1"), &["1.2.3.4, 198.51.100.7"], &trusted), ip("198.51.100.7"));
        assert_eq!(resolve_client(ip("10.1.1.1"), &["1.2.3.4", "198.51.100.7, 10.2.2.2"], &trusted), ip("198.51.100.7"));
        // Nothing forwarded: the proxy itself.
        assert_eq!(resolve_client(ip("10.1.1.1"), &[], &trusted), ip("10.1.1.1"));
        assert_eq!(resolve_client(ip("::ffff:203.0.113.9"), &[], &trusted), ip("203.0.113.9"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(rate_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(rate_key(ip("2001:db8:1:2:bbbb::9")), rate_key(ip("2001:db8:1:2:aaaa::1")));
        assert_ne!(rate_key(ip("2001:db8:1:3::1")), rate_key(ip("2001:db8:1:2::1")));
        assert_eq!(rate_key(ip("192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn configured_ranges_parse() {
        assert!(parse_net("10.0.0.0/8").is_some());
        assert!(parse_net("127.0.0.1").is_some_and(|n| n.contains(&ip("127.0.0.1"))));
        assert!(parse_net("not-an-address").is_none());
    }
}
