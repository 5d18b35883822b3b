package review

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Loopback is decided by address, not by spelling: "127.1", "0x7f.0.0.1"
// and "2130706433" are 127.0.0.1 to the C library and to browsers, and a
// name is loopback only when every address it resolves to is.

// legacyIPv4 reads the inet_aton forms of an IPv4 address: one to four
// parts, each decimal, octal (leading 0) or hexadecimal (0x), the last
// filling the remaining bytes ("127.1", "0177.0.0.1", "0x7f000001").
func legacyIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, false
	}
	var vals []uint64
	for _, p := range parts {
		base := 10
		switch {
		case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
			p, base = p[2:], 16
		case len(p) > 1 && p[0] == '0':
			p, base = p[1:], 8
		}
		v, err := strconv.ParseUint(p, base, 32)
		if err != nil || p == "" {
			return netip.Addr{}, false
		}
		vals = append(vals, v)
	}
	var n uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (24 - 8*i)
	}
	last, room := vals[len(vals)-1], uint(32-8*(len(vals)-1))
	if last >= 1<<room {
		return netip.Addr{}, false
	}
	n |= last
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// literalAddr reads an IP literal in any spelling the system accepts.
func literalAddr(host string) (netip.Addr, bool) {
	host = strings.Trim(host, "[]")
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap(), true
	}
	return legacyIPv4(host)
}

// resolvesToLoopback reports whether host, a literal or a name, means only
// loopback addresses. An empty host (every interface) never does.
func resolvesToLoopback(ctx context.Context, host string) bool {
	if ip, ok := literalAddr(host); ok {
		return ip.IsLoopback()
	}
	if host == "" {
		return false
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			return false
		}
	}
	return true
}

// ListenAddr is addr with a legacy IPv4 spelling written as the dotted
// quad it means, so the server listens on the address CheckAddr checked
// ("127.1:8080" -> "127.0.0.1:8080"); anything else is returned as is.
func ListenAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return addr
	}
	if ip, ok := legacyIPv4(host); ok {
		return net.JoinHostPort(ip.String(), port)
	}
	return addr
}

// ListenHosts are the addresses a listener answers on, as Host headers
// name them: its own IP, or every interface's address when it listens on
// all of them (0.0.0.0, ::).
func ListenHosts(addr net.Addr) ([]string, error) {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return nil, fmt.Errorf("listen address %s: not TCP", addr)
	}
	if !ta.IP.IsUnspecified() {
		return []string{ta.IP.String()}, nil
	}
	ifaddrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, fmt.Errorf("interface addresses: %w", err)
	}
	var hosts []string
	for _, a := range ifaddrs {
		// A link-local address needs a zone no Host header carries.
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLinkLocalUnicast() {
			hosts = append(hosts, n.IP.String())
		}
	}
	return hosts, nil
}
