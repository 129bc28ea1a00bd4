using System.Security.Cryptography;
using System.Text;

namespace Kratix.StateStores;

/// <summary>Computes Git object ids, so the writer can tell whether a file's content changes without asking git.</summary>
internal static class GitObjectId
{
    /// <summary>The id Git gives a blob with <paramref name="content"/>, as lowercase hex (SHA-1, or SHA-256 when <paramref name="sha256"/>).</summary>
    public static string ForBlob(ReadOnlySpan<byte> content, bool sha256 = false)
    {
        using var hash = IncrementalHash.CreateHash(sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1);
        hash.AppendData(Encoding.ASCII.GetBytes($"blob {content.Length}\0"));
        hash.AppendData(content);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
