using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The double's own certificate authority, made fresh at every start: it signs the server certificate (for 127.0.0.1
/// and localhost) and client certificates whose subject names the user (CN) and groups (O), as kube-apiserver's
/// x509 authenticator reads them. ECDSA P-256 keys: quick to make, and understood by Go (kubectl) and .NET alike.
/// </summary>
public sealed class Certificates : IDisposable
{
    private readonly ECDsa caKey;

    public Certificates()
    {
        caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=kratix-apiserver-double-ca, O=Kratix API server TEST DOUBLE", caKey, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Authority = req.CreateSelfSigned(now.AddHours(-1), now.AddDays(7));
        AuthorityPem = Authority.ExportCertificatePem() + "\n";
        Server = Issue("CN=kratix-apiserver-double", serverAuth: true);
    }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The CA certificate as PEM, for <c>certificate-authority-data</c>.</summary>
    public string AuthorityPem { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>A client certificate for <paramref name="user"/> in <paramref name="groups"/>, as PEM certificate and PKCS#8 key.</summary>
    public (string CertificatePem, string KeyPem, X509Certificate2 Certificate) IssueClient(string user, IEnumerable<string> groups)
    {
        var dn = new X500DistinguishedNameBuilder();
        foreach (var g in groups)
        {
            dn.AddOrganizationName(g);
        }

        dn.AddCommonName(user);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cert = Sign(dn.Build(), key, serverAuth: false);
        return (cert.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", cert);
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by this CA and is in its validity period.</summary>
    public bool Verify(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        caKey.Dispose();
        Authority.Dispose();
        Server.Dispose();
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cert = Sign(new X500DistinguishedName(subject), key, serverAuth);
        using var withKey = cert.CopyWithPrivateKey(key);
        // Through PKCS#12 so that SslStream on Linux gets a key it can use for the whole life of the server.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2 Sign(X500DistinguishedName subject, ECDsa key, bool serverAuth)
    {
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            req.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number: Go refuses negative ones
        serial[0] |= 0x01;
        var now = DateTimeOffset.UtcNow;
        return req.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddHours(-1), now.AddDays(2), serial);
    }
}
