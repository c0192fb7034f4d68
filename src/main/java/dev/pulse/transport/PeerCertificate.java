package dev.pulse.transport;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;

/**
 * The certificate chain a TLS peer presented, as a probe reports it. Field names are a
 * stable JSON contract.
 *
 * @param subject the leaf certificate's subject, such as {@code CN=orders.example.com}
 * @param issuer the leaf certificate's issuer
 * @param notAfter when the leaf certificate expires
 * @param chainNotAfter when the first certificate of the presented chain expires: the
 * leaf's {@code notAfter} unless an intermediate runs out sooner, which breaks the chain
 * as surely. {@code [CERTIFICATE_EXPIRATION]} and
 * {@code pulse_certificate_expiry_seconds} count down to it.
 * @param chainLength certificates the peer presented
 */
public record PeerCertificate(String subject, String issuer, Instant notAfter, Instant chainNotAfter, int chainLength) {

	/**
	 * The certificate of a chain as presented.
	 * @param chain the peer's certificates, leaf first
	 * @return the report, or null when the chain holds no X.509 certificate
	 */
	public static @Nullable PeerCertificate of(Certificate @Nullable [] chain) {
		if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
			return null;
		}
		Instant earliest = leaf.getNotAfter().toInstant();
		for (Certificate certificate : chain) {
			if (certificate instanceof X509Certificate x509 && x509.getNotAfter().toInstant().isBefore(earliest)) {
				earliest = x509.getNotAfter().toInstant();
			}
		}
		return new PeerCertificate(leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
				leaf.getNotAfter().toInstant(), earliest, chain.length);
	}

	/**
	 * The certificate of an established TLS session.
	 * @param session the session
	 * @return the report, or null when the peer presented none
	 */
	public static @Nullable PeerCertificate of(SSLSession session) {
		try {
			return of(session.getPeerCertificates());
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

}
