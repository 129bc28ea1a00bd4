using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>Writing responses: JSON bodies, Status errors, and Warning headers as the API server formats them.</summary>
internal static class Http
{
    public static void WriteJson(HttpContext ctx, int code, JsonNode body) =>
        WriteBytes(ctx, code, JsonSerializer.SerializeToUtf8Bytes(body, Json.Compact));

    private const string PendingKey = "kratix.apiserverdouble.response";

    /// <summary>
    /// Sets the response to send. Handlers call this while holding the storage lock, so nothing is written to the
    /// network here: <see cref="SendPendingAsync"/> writes it once the handler has returned.
    /// </summary>
    public static void WriteBytes(HttpContext ctx, int code, byte[] body) => ctx.Items[PendingKey] = (code, body);

    public static async Task SendPendingAsync(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(PendingKey, out var pending) && pending is (int code, byte[] body))
        {
            ctx.Items.Remove(PendingKey);
            ctx.Response.StatusCode = code;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
        }
    }

    public static void WriteStatus(HttpContext ctx, ApiStatusException e)
    {
        if (e.RetryAfterSeconds is int retry)
        {
            ctx.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        WriteJson(ctx, e.Code, e.ToStatus());
    }

    /// <summary>Adds <c>Warning: 299 - "text"</c>, the form the API server uses for warnings to clients.</summary>
    public static void AddWarning(HttpContext ctx, string text)
    {
        var sb = new StringBuilder("299 - \"");
        foreach (char c in text)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c < 0x20 ? ' ' : c);
        }

        sb.Append('"');
        ctx.Response.Headers.Append("Warning", sb.ToString());
    }
}
