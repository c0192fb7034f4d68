package dev.pulse.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.NetUtil;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority made at test time, so no key is ever committed: it issues
 * server certificates with chosen validity dates and subject alternative names (expired,
 * for the wrong host) and self-signed ones no client trusts. EC P-256 keys, which are
 * quick to generate.
 */
public final class TestCertificates {

	private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

	private static final char[] PASSWORD = "test".toCharArray();

	private final KeyPair caKeys;

	private final X509Certificate ca;

	private TestCertificates(KeyPair caKeys, X509Certificate ca) {
		this.caKeys = caKeys;
		this.ca = ca;
	}

	/** A new authority, valid from a day ago for a year. */
	public static TestCertificates authority() {
		KeyPair keys = keyPair();
		X500Name name = new X500Name("CN=Pulse Test CA");
		Instant now = Instant.now();
		X509Certificate ca = sign(name, keys.getPrivate(), name, keys, now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(365)), true, new String[0]);
		return new TestCertificates(keys, ca);
	}

	/**
	 * A server certificate from this authority, valid from a day ago for a year.
	 * @param names subject alternative names: IP literals become IP entries, anything
	 * else a DNS entry
	 */
	public Credential valid(String... names) {
		Instant now = Instant.now();
		return issue(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), names);
	}

	/** A server certificate from this authority that expired yesterday. */
	public Credential expired(String... names) {
		Instant now = Instant.now();
		return issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), names);
	}

	/** A server certificate from this authority, valid between the two instants. */
	public Credential issue(Instant notBefore, Instant notAfter, String... names) {
		KeyPair keys = keyPair();
		X509Certificate certificate = sign(new X500Name("CN=Pulse Test CA"), this.caKeys.getPrivate(),
				new X500Name("CN=" + names[0]), keys, notBefore, notAfter, false, names);
		return new Credential(keys.getPrivate(), new X509Certificate[] { certificate, this.ca });
	}

	/** A self-signed server certificate, valid from a day ago for a year. */
	public static Credential selfSigned(String... names) {
		KeyPair keys = keyPair();
		X500Name name = new X500Name("CN=" + names[0]);
		Instant now = Instant.now();
		X509Certificate certificate = sign(name, keys.getPrivate(), name, keys, now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(365)), false, names);
		return new Credential(keys.getPrivate(), new X509Certificate[] { certificate });
	}

	/** The authority's certificate. */
	public X509Certificate certificate() {
		return this.ca;
	}

	/**
	 * A Netty client context that trusts this authority only, for a
	 * {@code ProbeTransport}'s verifying clients.
	 */
	public SslContext clientContext() {
		try {
			return SslContextBuilder.forClient().trustManager(this.ca).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("cannot build the client TLS context", ex);
		}
	}

	/** A private key and its chain, leaf first. */
	public record Credential(PrivateKey key, X509Certificate[] chain) {

		/** A server-side JDK context presenting this chain, for {@link FaultServer}. */
		public SSLContext serverContext() {
			try {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				store.setKeyEntry("server", this.key, PASSWORD, this.chain);
				KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keyManagers.init(store, PASSWORD);
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(keyManagers.getKeyManagers(), null, null);
				return context;
			}
			catch (GeneralSecurityException | java.io.IOException ex) {
				throw new IllegalStateException("cannot build the server TLS context", ex);
			}
		}

	}

	private static X509Certificate sign(X500Name issuer, PrivateKey issuerKey, X500Name subject, KeyPair keys,
			Instant notBefore, Instant notAfter, boolean authority, String[] names) {
		try {
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
					BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
					keys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
			if (authority) {
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			}
			else {
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
				builder.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
				builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
			}
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
		}
		catch (CertIOException | OperatorCreationException | java.security.cert.CertificateException ex) {
			throw new IllegalStateException("cannot sign a test certificate", ex);
		}
	}

	private static GeneralNames alternativeNames(String[] names) {
		GeneralName[] entries = new GeneralName[names.length];
		for (int i = 0; i < names.length; i++) {
			boolean ip = NetUtil.isValidIpV4Address(names[i]) || NetUtil.isValidIpV6Address(names[i]);
			entries[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
		}
		return new GeneralNames(entries);
	}

	private static KeyPair keyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot generate a test key", ex);
		}
	}

}
