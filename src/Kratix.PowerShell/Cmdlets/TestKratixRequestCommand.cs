using System.Management.Automation;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Validates requests without submitting them: against the installed Promise, or offline against -PromisePath.
/// Outputs $true/$false, or a report per request with -Detailed.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KratixRequest", DefaultParameterSetName = "Path")]
[OutputType(typeof(bool))]
[OutputType("Kratix.ValidationReport")]
public sealed class TestKratixRequestCommand : RequestInputCmdlet
{
    /// <summary>A Promise file to validate against instead of the platform's installed Promises.</summary>
    [Parameter]
    public string? PromisePath { get; set; }

    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord() => Test(endOfInput: false);

    protected override void EndProcessing()
    {
        if (HasPipedLines)
        {
            Test(endOfInput: true);
        }

        base.EndProcessing();
    }

    /// <param name="endOfInput">Test the requests in the lines of text piped (at the end of the input) rather than this record's.</param>
    private void Test(bool endOfInput)
    {
        if (PromisePath is null)
        {
            WithPlatform(platform =>
            {
                foreach (var item in Requests(platform, endOfInput))
                {
                    var (request, result) = platform.TestRequest(item.Node, item.Source, FieldValidationNames.ToMode(FieldValidation));
                    var problems = result.Problems(AdmissionException.Locator(item.Source));
                    Write(new ValidationReport(request.Kind, request.Name, item.Describe(), result.IsValid, problems, result.Warnings));
                }
            });
            return;
        }

        // Offline: validate against the Promises in -PromisePath without opening (or creating) a platform.
        try
        {
            var promises = ManifestInput.FromFile(GetUnresolvedProviderPathFromPSPath(PromisePath)).Select(i => new Promise(i.Node)).ToList();
            foreach (var item in endOfInput ? ReadPipedLines() : Requests(promises))
            {
                var request = new ResourceRequest(item.Node);
                var promise = promises.FirstOrDefault(p => p.Api?["spec"]?["group"]?.ToString() == request.Group && p.Api?["spec"]?["names"]?["kind"]?.ToString() == request.Kind);
                if (promise is null)
                {
                    // One request of an unknown kind is an error for that request; the others are still tested.
                    Report(new KratixException("PromiseNotFoundForRequest", KratixErrorCategory.ObjectNotFound, $"{item.Describe()}: {PromisePath} has no Promise for kind \"{request.Kind}\" in group \"{request.Group}\".", item.Describe()), item.Describe());
                    Write(new ValidationReport(request.Kind, request.Name, item.Describe(), false, [$"no Promise in {PromisePath} provides kind {request.Kind} ({request.Group})"], []));
                    continue;
                }

                Write(OfflineValidation.TestRequest(item, promise, FieldValidationNames.ToMode(FieldValidation) ?? Kratix.Schema.FieldValidationMode.Strict));
            }
        }
        catch (KratixException ex)
        {
            Report(ex, PromisePath);
        }
    }

    private void Write(ValidationReport report)
    {
        foreach (var problem in report.Problems)
        {
            WriteVerbose(problem);
        }

        WriteObject(Detailed ? TestKratixPromiseCommand.WithTypeName(report) : report.IsValid);
    }
}
