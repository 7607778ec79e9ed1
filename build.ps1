#!/usr/bin/env pwsh
<#
.SYNOPSIS
  Builds, tests and packages Nop.Plugin.Payments.Klarna for nopCommerce 4.90.
.DESCRIPTION
  Steps: restore, build, test (unless -SkipTests), package. Writes dist/Payments.Klarna.zip, ready for nopCommerce's
  Admin > Configuration > Local plugins > "Upload plugin or theme". A failing step stops the script with a non-zero exit
  code and names the step.
  Run it through the repository's local PowerShell tool:  dotnet tool restore && dotnet pwsh ./build.ps1
.PARAMETER Configuration  Build configuration (default Release).
.PARAMETER SkipTests      Do not run the tests.
.PARAMETER NopRoot        Build against a nopCommerce 4.90 source tree (its src folder, or the folder above it) instead of
                          build/NopReference: the plugin references the real Nop.Web project and builds into
                          src/Presentation/Nop.Web/Plugins/Payments.Klarna (the tests still run against the reference).
                          Not needed when this repository is cloned as src/Plugins/Nop.Plugin.Payments.Klarna (detected).
#>
[CmdletBinding()]
param(
    [string]$Configuration = 'Release',
    [switch]$SkipTests,
    [string]$NopRoot
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$solution = Join-Path $root 'Nop.Plugin.Payments.Klarna.sln'
$pluginProject = Join-Path $root 'Nop.Plugin.Payments.Klarna' 'Nop.Plugin.Payments.Klarna.csproj'
$zipPath = Join-Path $root 'dist' 'Payments.Klarna.zip'

function Invoke-Step([string]$Name, [scriptblock]$Action) {
    Write-Host ""
    Write-Host "==> $Name" -ForegroundColor Cyan
    $global:LASTEXITCODE = 0
    try {
        & $Action
    }
    catch {
        [Console]::Error.WriteLine("build.ps1: step '$Name' failed: $($_.Exception.Message)")
        exit 1
    }
    if ($LASTEXITCODE -ne 0) {
        [Console]::Error.WriteLine("build.ps1: step '$Name' failed (exit code $LASTEXITCODE)")
        exit $LASTEXITCODE
    }
}

$nopArgs = @()
if ($NopRoot) {
    $NopRoot = [System.IO.Path]::GetFullPath($NopRoot)
    if (-not ((Test-Path (Join-Path $NopRoot 'Presentation/Nop.Web/Nop.Web.csproj')) -or (Test-Path (Join-Path $NopRoot 'src/Presentation/Nop.Web/Nop.Web.csproj')))) {
        [Console]::Error.WriteLine("build.ps1: step 'arguments' failed: no Presentation/Nop.Web/Nop.Web.csproj under $NopRoot (or its src folder)")
        exit 2
    }
    $nopArgs = @("-p:NopRoot=$NopRoot")
    Write-Host "Building against the nopCommerce source tree at $NopRoot"
}

# In a nopCommerce tree the solution's plugin project builds against the real Nop.Web (Real mode), so restore and build
# only the plugin there; otherwise the whole solution (reference, plugin, tests).
$buildTarget = if ($NopRoot) { $pluginProject } else { $solution }

Invoke-Step 'restore' { dotnet restore $buildTarget @nopArgs }

Invoke-Step 'build' { dotnet build $buildTarget -c $Configuration --no-restore @nopArgs }

if (-not $SkipTests) {
    # The README's test command (the tests always build the plugin against build/NopReference).
    Invoke-Step 'test' { dotnet test $solution -c $Configuration }
}

Invoke-Step 'package' {
    $outDir = (dotnet msbuild $pluginProject -nologo -getProperty:OutDir "-p:Configuration=$Configuration" @nopArgs | Select-Object -Last 1).Trim()
    if ($LASTEXITCODE -ne 0 -or -not $outDir) { throw 'cannot evaluate the plugin output folder (OutDir)' }
    if (-not [System.IO.Path]::IsPathRooted($outDir)) { $outDir = Join-Path (Split-Path $pluginProject) $outDir }
    & (Join-Path $root 'build' 'tools' 'package-plugin.ps1') -SourceDir $outDir -ZipPath $zipPath -ProjectDir (Split-Path $pluginProject)
}

Write-Host ""
Write-Host "build.ps1: done. Plugin package: $zipPath" -ForegroundColor Green
exit 0
