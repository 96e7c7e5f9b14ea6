package bigiq

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

func buildTLSConfig(cfg Config) (*tls.Config, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.Insecure {
		// Only when the user asks for it; the provider warns.
		tlsConfig.InsecureSkipVerify = true
		return tlsConfig, nil
	}
	if cfg.CACertificatePEM == "" {
		return tlsConfig, nil
	}
	certs, err := parseCertificates(cfg.CACertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("invalid CA certificate: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, cert := range certs {
		pool.AddCert(cert)
	}
	tlsConfig.RootCAs = pool
	return tlsConfig, nil
}

// describeTransportError adds what the user can do about a TLS failure.
func describeTransportError(address string, err error) error {
	if isTLSFailure(err) {
		return fmt.Errorf("the TLS certificate of %s could not be verified; supply the CA certificate that signed it in ca_certificate (or BIGIQ_CA_CERTIFICATE), or set insecure = true only for testing: %w", address, err)
	}
	return err
}

func isTLSFailure(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid)
}

// ValidateCACertificate checks that pemData holds at least one PEM-encoded
// X.509 certificate and nothing that fails to parse as one.
func ValidateCACertificate(pemData string) error {
	_, err := parseCertificates(pemData)
	return err
}

func parseCertificates(pemData string) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := []byte(pemData)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("found a PEM block of type %q; only CERTIFICATE blocks belong in a CA bundle", block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d does not parse: %w", len(certs)+1, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found: expected text beginning with -----BEGIN CERTIFICATE-----")
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, errors.New("unexpected text after the last PEM certificate")
	}
	return certs, nil
}
