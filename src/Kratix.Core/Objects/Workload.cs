using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>One file a Work carries: its path relative to the output directory, and its content stored as base64(gzip) as upstream stores it.</summary>
public sealed record Workload(string Filepath, string Content)
{
    public static Workload FromBytes(string filepath, byte[] bytes) => new(filepath, Compress(bytes));

    /// <summary>The file's bytes, decompressed.</summary>
    public byte[] GetBytes()
    {
        using var input = new GZipStream(new MemoryStream(Convert.FromBase64String(Content)), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public JsonObject ToJson() => new() { ["filepath"] = Filepath, ["content"] = Content };

    public static Workload FromJson(JsonObject node) => new(node.GetString("filepath") ?? string.Empty, node.GetString("content") ?? string.Empty);

    private static string Compress(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
