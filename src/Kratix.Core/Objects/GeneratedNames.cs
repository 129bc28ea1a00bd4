using System.Security.Cryptography;
using System.Text;

namespace Kratix.Objects;

/// <summary>
/// Names for objects Kratix generates (Works): upstream appends five random characters to an identifier; the embedded
/// platform appends five characters of the identifier's md5 instead, so the same Work keeps the same name across runs.
/// </summary>
public static class GeneratedNames
{
    public static string For(string identifier) => $"{Truncate(identifier)}-{Hash5(identifier)}";

    public static string Hash5(string text) => Md5(text)[..5];

    /// <summary>The md5 of the text's UTF-8 bytes as 32 lower-case hex digits, as upstream computes ids and hashes.</summary>
    public static string Md5(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private static string Truncate(string name) => name.Length > 57 ? name[..56].TrimEnd('-', '.') : name;
}
