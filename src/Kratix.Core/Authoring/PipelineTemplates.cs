namespace Kratix.Authoring;

/// <summary>The languages a pipeline container can be scaffolded in.</summary>
public enum PipelineLanguage
{
    Bash,
    Python,
    Go,
    PowerShell,
}

/// <summary>
/// The files a new pipeline container starts with, per language: a Dockerfile and <c>scripts/pipeline.&lt;ext&gt;</c>, laid
/// out as kratix-cli's <c>add container</c> lays them out. Bash reads the object with yq; Python and Go use upstream's
/// SDKs (kratix-sdk on PyPI, github.com/syntasso/kratix-go); PowerShell uses this module's SDK (Sdk/Kratix.Sdk), which the
/// scaffold copies beside the script so the image builds from the container folder alone.
/// </summary>
public static class PipelineTemplates
{
    public static string ScriptName(PipelineLanguage language) => "pipeline." + Extension(language);

    public static string Extension(PipelineLanguage language) => language switch
    {
        PipelineLanguage.Bash => "sh",
        PipelineLanguage.Python => "py",
        PipelineLanguage.Go => "go",
        _ => "ps1",
    };

    public static string Dockerfile(PipelineLanguage language) => language switch
    {
        PipelineLanguage.Bash => """
            FROM "alpine"

            RUN apk update && apk add --no-cache yq

            ADD scripts/pipeline.sh /usr/bin/pipeline.sh
            ADD resources resources

            RUN chmod +x /usr/bin/pipeline.sh

            CMD [ "sh", "-c", "pipeline.sh" ]
            ENTRYPOINT []

            """,
        PipelineLanguage.Python => """
            FROM python:3.12-slim

            RUN python -m pip install kratix-sdk

            WORKDIR /app
            COPY scripts/pipeline.py /app/pipeline.py

            ENTRYPOINT ["python", "-u", "/app/pipeline.py"]

            """,
        PipelineLanguage.Go => """
            FROM golang:latest

            WORKDIR /scripts

            COPY scripts/go.mod scripts/go.sum scripts/pipeline.go ./

            RUN go mod download

            ADD resources resources

            RUN go build -a -o /usr/bin/pipeline.go pipeline.go

            CMD [ "sh", "-c", "pipeline.go" ]

            ENTRYPOINT []

            """,
        _ => """
            # pwsh, the Kratix SDK for PowerShell (sdk/Kratix.Sdk, copied here from the Kratix module) and the script.
            FROM mcr.microsoft.com/powershell:lts-alpine-3.20

            COPY sdk/Kratix.Sdk /usr/local/share/powershell/Modules/Kratix.Sdk
            COPY scripts/pipeline.ps1 /scripts/pipeline.ps1
            ADD resources /resources

            ENTRYPOINT ["pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", "/scripts/pipeline.ps1"]

            """,
    };

    public static string Script(PipelineLanguage language) => language switch
    {
        PipelineLanguage.Bash => """
            #!/usr/bin/env sh

            set -xe

            # yq -r reads the same in mikefarah's yq (the image's) and the jq-based yq of some hosts.
            name="$(yq -r '.metadata.name' /kratix/input/object.yaml)"
            namespace="$(yq -r '.metadata.namespace' /kratix/input/object.yaml)"

            echo "Hello from ${name} ${namespace}"

            """,
        PipelineLanguage.Python => """
            import kratix_sdk as ks

            def main():
                sdk = ks.KratixSDK()
                if sdk.is_promise_workflow():
                    print(f'Hello from {sdk.promise_name()}')
                else:
                    resource = sdk.read_resource_input()
                    print(f'Hello from {resource.get_name()} {resource.get_namespace()}')

            if __name__ == '__main__':
                main()

            """,
        PipelineLanguage.Go => """
            package main

            import (
            	"fmt"

            	kratix "github.com/syntasso/kratix-go"
            )

            func main() {
            	sdk := kratix.New()
            	if sdk.IsPromiseWorkflow() {
            		fmt.Printf("Hello from %s", sdk.PromiseName())
            	} else {
            		resource, _ := sdk.ReadResourceInput()
            		fmt.Printf("Hello from %s %s", resource.GetName(), resource.GetNamespace())
            	}
            }

            """,
        _ => """
            #Requires -Version 7.4
            # A Kratix pipeline script on the Kratix SDK for PowerShell (docs/authoring.md in the Kratix module).
            $ErrorActionPreference = 'Stop'

            # The SDK: beside the scripts folder when the script runs from source, installed in the image otherwise.
            $sdk = Join-Path $PSScriptRoot '..' 'sdk' 'Kratix.Sdk'
            Import-Module -Name $(if (Test-Path -LiteralPath $sdk) { $sdk } else { 'Kratix.Sdk' })

            if (Test-KratixWorkflow -Type Promise) {
                Write-Host "Hello from $((Get-KratixWorkflow).PromiseName)"
            }
            else {
                $resource = Read-KratixResourceInput
                Write-Host "Hello from $($resource.GetName()) $($resource.GetNamespace())"
            }

            """,
    };
}
