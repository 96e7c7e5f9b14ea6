package bigiqmock

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"testing"
	"time"
)

// Server is a Mock listening on a real socket.
type Server struct {
	*Mock
	URL string // https://127.0.0.1:port (http:// when plain)

	srv     *http.Server
	certPEM string
	done    chan struct{}
}

// Start serves a new mock over HTTPS on 127.0.0.1 with a fresh self-signed
// certificate (see CACertPEM) and closes it when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	return startForTest(t, opts, true)
}

// StartPlain is Start over plain HTTP.
func StartPlain(t testing.TB, opts Options) *Server {
	t.Helper()
	return startForTest(t, opts, false)
}

func startForTest(t testing.TB, opts Options, useTLS bool) *Server {
	t.Helper()
	s, err := Listen(New(opts), "127.0.0.1:0", useTLS)
	if err != nil {
		t.Fatalf("bigiqmock: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Listen serves m on addr in the background, over HTTPS with a generated
// self-signed certificate for 127.0.0.1, ::1 and localhost when useTLS is
// set. Close stops it.
func Listen(m *Mock, addr string, useTLS bool) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Mock: m,
		srv: &http.Server{
			Handler:           m,
			ReadHeaderTimeout: 10 * time.Second,
			// Handshake failures from clients that distrust the generated
			// certificate are the client's to report.
			ErrorLog: log.New(io.Discard, "", 0),
			// HTTP/1.1 only: dropping a connection needs to hijack it.
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		},
		done: make(chan struct{}),
	}
	scheme := "http"
	if useTLS {
		cert, certPEM, err := NewCertificate()
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		s.certPEM = certPEM
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, s.srv.TLSConfig)
		scheme = "https"
	}
	s.URL = scheme + "://" + ln.Addr().String()
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.logf("bigiqmock: serve: %v", err)
		}
	}()
	return s, nil
}

// CACertPEM is the server's certificate in PEM, usable as a CA bundle;
// empty for a plain HTTP server.
func (s *Server) CACertPEM() string { return s.certPEM }

// Close stops the server and drops open connections.
func (s *Server) Close() {
	_ = s.srv.Close()
	<-s.done
}

// NewCertificate makes a self-signed certificate for localhost, 127.0.0.1
// and ::1, and returns it with its PEM: the mock serves it, and tests use
// the PEM wherever they need a real certificate that parses.
func NewCertificate() (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"bigiqmock"}, CommonName: "localhost"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("create certificate: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, string(certPEM), nil
}
