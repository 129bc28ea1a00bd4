using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>An authenticated user: a name and groups, as the API server's authenticators produce them.</summary>
public sealed record ApiUser(string Name, IReadOnlyList<string> Groups);

/// <summary>
/// Bearer tokens and client certificates, as kube-apiserver's static-token and x509 authenticators: a token names a
/// user registered with <see cref="AddUser"/>; a client certificate signed by the double's CA names the user by its
/// CN and the groups by its O entries. Neither (or a bad token) is 401 Unauthorized: anonymous access is off.
/// </summary>
public sealed class Authentication
{
    private readonly ConcurrentDictionary<string, ApiUser> tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiUser> users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiUser?> verifiedCertificates = new(StringComparer.Ordinal);
    private readonly Certificates certificates;

    internal Authentication(Certificates certificates)
    {
        this.certificates = certificates;
    }

    /// <summary>Registers a user and returns a new bearer token for it.</summary>
    public string AddUser(string name, params string[] groups)
    {
        var user = new ApiUser(name, groups);
        users[name] = user;
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        tokens[token] = user;
        return token;
    }

    /// <summary>The registered user called <paramref name="name"/>.</summary>
    public ApiUser? FindUser(string name) => users.TryGetValue(name, out var u) ? u : null;

    internal ApiUser Authenticate(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is not null)
        {
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && tokens.TryGetValue(header["Bearer ".Length..].Trim(), out var byToken))
            {
                return byToken;
            }

            throw StatusErrors.Unauthorized();
        }

        var cert = context.Connection.ClientCertificate;
        if (cert is not null && FromCertificate(cert) is { } byCert)
        {
            return byCert;
        }

        throw StatusErrors.Unauthorized();
    }

    private ApiUser? FromCertificate(X509Certificate2 cert) =>
        verifiedCertificates.GetOrAdd(cert.Thumbprint, _ =>
        {
            if (!certificates.Verify(cert))
            {
                return null;
            }

            string name = cert.GetNameInfo(X509NameType.SimpleName, false);
            var groups = cert.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(r => r.GetSingleElementType().Value == "2.5.4.10")
                .Select(r => r.GetSingleElementValue() ?? string.Empty)
                .ToList();
            return new ApiUser(name, groups);
        });
}
