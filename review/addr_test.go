package review

import (
	"context"
	"testing"
)

func TestLoopbackByAddress(t *testing.T) {
	tests := []struct {
		addr     string
		loopback bool   // CheckAddr accepts it without --allow-remote
		listen   string // ListenAddr
	}{
		{"127.0.0.1:8080", true, "127.0.0.1:8080"},
		{"127.1:8080", true, "127.0.0.1:8080"},
		{"127.0.1:8080", true, "127.0.0.1:8080"},
		{"0x7f.1:80", true, "127.0.0.1:80"},
		{"0177.0.0.1:80", true, "127.0.0.1:80"},
		{"2130706433:80", true, "127.0.0.1:80"},
		{"127.255.255.254:80", true, "127.255.255.254:80"},
		{"[::1]:80", true, "[::1]:80"},
		{"[::ffff:127.0.0.1]:80", true, "[::ffff:127.0.0.1]:80"},
		{"localhost:0", true, "localhost:0"},
		{"0.0.0.0:8080", false, "0.0.0.0:8080"},
		{"0:8080", false, "0.0.0.0:8080"},
		{":8080", false, ":8080"},
		{"[::]:80", false, "[::]:80"},
		{"192.168.1.5:80", false, "192.168.1.5:80"},
		{"3232235781:80", false, "192.168.1.5:80"}, // 192.168.1.5 spelt as one number
		{"128.1:80", false, "128.0.0.1:80"},
		{"127.256.1:80", false, "127.256.1:80"}, // only the last part may exceed 255
		{"127.65536:80", true, "127.1.0.0:80"},  // the last part fills the three remaining bytes
		{"999.1:80", false, "999.1:80"},
		{"1.2.3.4.5:80", false, "1.2.3.4.5:80"},     // five parts: no address at all
		{"127.0.65536:80", false, "127.0.65536:80"}, // the last part overflows its two bytes
		{"no-such-host.invalid:80", false, "no-such-host.invalid:80"},
	}
	for _, tc := range tests {
		err := CheckAddr(tc.addr, false)
		if (err == nil) != tc.loopback {
			t.Errorf("CheckAddr(%q) = %v, want loopback %v", tc.addr, err, tc.loopback)
		}
		if got := ListenAddr(tc.addr); got != tc.listen {
			t.Errorf("ListenAddr(%q) = %q, want %q", tc.addr, got, tc.listen)
		}
	}
	if !loopbackHost("127.1:8080") || loopbackHost("10.1:80") {
		t.Error("the Host header check does not read legacy spellings by address")
	}
	if got := ListenAddr("no-port"); got != "no-port" {
		t.Errorf("ListenAddr without a port = %q, want it unchanged", got)
	}
	if resolvesToLoopback(context.Background(), "") {
		t.Error("every interface taken for loopback")
	}
}
