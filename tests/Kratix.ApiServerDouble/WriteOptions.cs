using Kratix.Schema;
using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>The query parameters every write shares: dryRun, fieldManager, fieldValidation, force.</summary>
internal sealed class WriteOptions
{
    public required bool DryRun { get; init; }

    public required string Manager { get; init; }

    public required string Validation { get; init; }

    public required bool Force { get; init; }

    public static WriteOptions From(HttpContext ctx, bool apply)
    {
        var q = ctx.Request.Query;
        string? manager = q["fieldManager"].Count > 0 ? q["fieldManager"][0] : null;
        FieldManagers.Check(manager, apply);
        string validation = q["fieldValidation"].Count > 0 ? q["fieldValidation"][0] ?? string.Empty : "Warn";
        if (validation is not ("Ignore" or "Warn" or "Strict"))
        {
            throw StatusErrors.BadRequest("fieldValidation: Unsupported value: " + ApiServerAdmission.Quote(validation) + ": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }

        bool force = q["force"].Count > 0 && q["force"][0] is "true" or "1";
        if (force && !apply)
        {
            throw StatusErrors.BadRequest("force: Invalid value: true: may not be specified for non-apply patch");
        }

        return new WriteOptions
        {
            DryRun = ParseDryRun(ctx, []),
            Manager = manager ?? FieldManagers.Default(ctx.Request.Headers.UserAgent),
            Validation = validation,
            Force = force,
        };
    }

    public static bool ParseDryRun(HttpContext ctx, IReadOnlyList<string> fromBody)
    {
        var values = ctx.Request.Query["dryRun"].Select(v => v ?? string.Empty).Concat(fromBody).ToList();
        foreach (var v in values)
        {
            if (v != "All")
            {
                throw StatusErrors.BadRequest("dryRun: Unsupported value: " + ApiServerAdmission.Quote(v) + ": supported values: \"All\"");
            }
        }

        return values.Count > 0;
    }

    /// <summary>Unknown-field warnings: a Warning header (Warn), nothing (Ignore), or 400 (Strict).</summary>
    public void Warn(HttpContext ctx, IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0 || Validation == "Ignore")
        {
            return;
        }

        if (Validation == "Strict")
        {
            throw StatusErrors.BadRequest("strict decoding error: " + string.Join(", ", warnings));
        }

        foreach (var w in warnings)
        {
            Http.AddWarning(ctx, w);
        }
    }
}
