package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// A server answers on one loopback port both in plain HTTP and in TLS (the
// first byte of a connection tells which): fluxlint speaks plain HTTP to a
// loopback registry, flate's OCI client speaks only HTTPS. Paths under
// /v2/ are the OCI registry, /helm/ the chart repositories, /_stats the
// request count.
type server struct {
	ln       net.Listener
	helm     *helmRepos
	requests atomic.Int64
	delay    time.Duration
	// CertPEM is the server's self-signed certificate, for SSL_CERT_FILE.
	CertPEM []byte
}

// newServer listens on 127.0.0.1:port (0: any free port).
func newServer(ctx context.Context, addr string, delay time.Duration) (*server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &server{ln: ln, helm: newHelmRepos(), delay: delay}
	cert, err := s.selfSigned()
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	reg := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	mux := http.NewServeMux()
	mux.Handle("/v2/", reg)
	mux.Handle("/helm/", s.helm)
	mux.HandleFunc("/_stats", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, strconv.FormatInt(s.requests.Load(), 10)+"\n")
	})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_stats" {
			s.requests.Add(1)
			if s.delay > 0 {
				time.Sleep(s.delay)
			}
		}
		mux.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second}
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	go func() { _ = srv.Serve(&sniffListener{Listener: ln, tls: tlsConf}) }()
	return s, nil
}

// Host is the server's host:port.
func (s *server) Host() string { return s.ln.Addr().String() }

// selfSigned makes a certificate for 127.0.0.1 and keeps its PEM.
func (s *server) selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fluxlint benchreal"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(7 * 24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	s.CertPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// sniffListener hands out connections in TLS when their first byte is a
// TLS handshake record, in plain text otherwise.
type sniffListener struct {
	net.Listener
	tls *tls.Config
}

// Accept returns the next connection, wrapped in TLS when it starts a
// handshake. The first byte is read lazily, by the server's goroutine.
func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, tls: l.tls}, nil
}

// A sniffConn decides on its first Read whether it is TLS.
type sniffConn struct {
	net.Conn
	tls    *tls.Config
	inner  net.Conn
	reader *bufio.Reader
}

// Read reads from the plain or the TLS connection.
func (c *sniffConn) Read(p []byte) (int, error) {
	if c.inner == nil {
		c.reader = bufio.NewReader(c.Conn)
		first, err := c.reader.Peek(1)
		if err != nil {
			return 0, err
		}
		raw := &peekedConn{Conn: c.Conn, r: c.reader}
		if first[0] == 0x16 { // a TLS handshake record
			tc := tls.Server(raw, c.tls)
			c.inner = tc
		} else {
			c.inner = raw
		}
	}
	return c.inner.Read(p)
}

// Write writes to the plain or the TLS connection.
func (c *sniffConn) Write(p []byte) (int, error) {
	if c.inner == nil {
		return c.Conn.Write(p)
	}
	return c.inner.Write(p)
}

// Close closes the connection.
func (c *sniffConn) Close() error {
	if c.inner != nil {
		return c.inner.Close()
	}
	return c.Conn.Close()
}

// A peekedConn reads through the reader that peeked its first byte.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

// Read reads the buffered bytes first.
func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// trimScheme returns a URL without its scheme.
func trimScheme(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		return strings.TrimSuffix(rest, "/")
	}
	return strings.TrimSuffix(u, "/")
}
