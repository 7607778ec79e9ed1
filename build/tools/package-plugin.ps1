#!/usr/bin/env pwsh
<#
.SYNOPSIS
  Zips a built plugin folder the way nopCommerce 4.90's admin "Upload plugin or theme" accepts it.
.DESCRIPTION
  nopCommerce (src/Libraries/Nop.Services/Plugins/UploadService.cs, UploadSingleItemAsync) requires, for a single plugin
  and no uploadedItems.json: exactly one root folder in the archive, "<root>/plugin.json" directly inside it, and a
  SupportedVersions entry "4.90". The root folder is extracted to ~/Plugins/Uploaded/<root> and moved to ~/Plugins/<root>
  at the next start, so <root> is the plugin's SystemName (Payments.Klarna), like the folder of an in-tree build.
  Assemblies that nopCommerce already loads must not be shipped (a second copy in another version collides): the zip is
  refused when one is present. build/package-allowlist.txt names assemblies that match those patterns but that
  nopCommerce 4.90 does not ship (they must be shipped).
.PARAMETER SourceDir   The plugin's build output folder (plugin.json, logo.png, the plugin DLL, Views/, Content/, dependencies).
.PARAMETER ZipPath     The archive to write (replaced if it exists).
.PARAMETER ProjectDir  Optional: the plugin project folder; every Views/**/*.cshtml and Content/** file in it must be packaged.
#>
param(
    [Parameter(Mandatory = $true)][string]$SourceDir,
    [Parameter(Mandatory = $true)][string]$ZipPath,
    [string]$ProjectDir
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem

function Fail([string]$message) {
    [Console]::Error.WriteLine("package: $message")
    exit 1
}

$SourceDir = [System.IO.Path]::GetFullPath($SourceDir)
if (-not (Test-Path -LiteralPath $SourceDir -PathType Container)) { Fail "plugin output folder not found: $SourceDir" }

# --- the descriptor ---------------------------------------------------------------------------------------------------
$descriptorPath = Join-Path $SourceDir 'plugin.json'
if (-not (Test-Path -LiteralPath $descriptorPath)) { Fail "no plugin.json in $SourceDir" }
$descriptor = Get-Content -LiteralPath $descriptorPath -Raw | ConvertFrom-Json
$systemName = [string]$descriptor.SystemName
$mainAssembly = [string]$descriptor.FileName
if ([string]::IsNullOrWhiteSpace($systemName)) { Fail 'plugin.json has no SystemName' }
if ([string]::IsNullOrWhiteSpace($mainAssembly)) { Fail 'plugin.json has no FileName' }
if (@($descriptor.SupportedVersions) -notcontains '4.90') { Fail 'plugin.json SupportedVersions does not contain "4.90" (nopCommerce refuses the upload)' }
foreach ($required in @($mainAssembly, 'logo.png')) {
    if (-not (Test-Path -LiteralPath (Join-Path $SourceDir $required))) { Fail "$required is missing from $SourceDir" }
}

# --- what goes in -------------------------------------------------------------------------------------------------------
$files = @(Get-ChildItem -LiteralPath $SourceDir -Recurse -File | Sort-Object FullName)
$relative = @{}
foreach ($f in $files) { $relative[$f.FullName] = [System.IO.Path]::GetRelativePath($SourceDir, $f.FullName).Replace('\', '/') }

# Assemblies nopCommerce 4.90 already loads (its own, and packages/framework it carries): never shipped.
$forbiddenPatterns = @('Nop.*', 'Newtonsoft.Json*', 'FluentMigrator*', 'FluentValidation*', 'Microsoft.Extensions.*', 'Microsoft.AspNetCore.*', 'System.*')
$allowListPath = Join-Path $PSScriptRoot '..' 'package-allowlist.txt'
$allowed = @()
if (Test-Path -LiteralPath $allowListPath) {
    $allowed = @(Get-Content -LiteralPath $allowListPath | ForEach-Object { $_.Trim() } | Where-Object { $_ -and -not $_.StartsWith('#') })
}
$forbidden = @()
foreach ($f in $files | Where-Object { $_.Extension -ieq '.dll' }) {
    if ($f.Name -ieq $mainAssembly) { continue }
    $assemblyName = [System.IO.Path]::GetFileNameWithoutExtension($f.Name)
    if ($allowed -contains $assemblyName) { continue }
    foreach ($pattern in $forbiddenPatterns) {
        if ($assemblyName -like $pattern) { $forbidden += $relative[$f.FullName]; break }
    }
}
if ($forbidden.Count -gt 0) {
    Fail ("assemblies that nopCommerce 4.90 already loads must not be shipped (reference them with ExcludeAssets=""runtime"" or Private=""false""): " + ($forbidden -join ', '))
}

# Views and static content declared in the project must all be in the output (a missing view = "view not found" in the shop).
if ($ProjectDir) {
    $ProjectDir = [System.IO.Path]::GetFullPath($ProjectDir)
    $missing = @()
    foreach ($folder in @('Views', 'Content')) {
        $dir = Join-Path $ProjectDir $folder
        if (-not (Test-Path -LiteralPath $dir)) { continue }
        foreach ($src in Get-ChildItem -LiteralPath $dir -Recurse -File) {
            if ($folder -eq 'Views' -and $src.Extension -ne '.cshtml') { continue }
            $rel = [System.IO.Path]::GetRelativePath($ProjectDir, $src.FullName).Replace('\', '/')
            if (-not (Test-Path -LiteralPath (Join-Path $SourceDir $rel))) { $missing += $rel }
        }
    }
    if ($missing.Count -gt 0) { Fail ("not in the plugin output (add them as Content with CopyToOutputDirectory): " + ($missing -join ', ')) }
}

# --- the archive: one root folder <SystemName>/ with plugin.json directly inside ----------------------------------------
$ZipPath = [System.IO.Path]::GetFullPath($ZipPath)
New-Item -ItemType Directory -Force -Path ([System.IO.Path]::GetDirectoryName($ZipPath)) | Out-Null
if (Test-Path -LiteralPath $ZipPath) { Remove-Item -LiteralPath $ZipPath -Force }
$zip = [System.IO.Compression.ZipFile]::Open($ZipPath, [System.IO.Compression.ZipArchiveMode]::Create)
try {
    foreach ($f in $files) {
        $entryName = "$systemName/$($relative[$f.FullName])"
        [System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($zip, $f.FullName, $entryName, [System.IO.Compression.CompressionLevel]::Optimal) | Out-Null
    }
}
finally {
    $zip.Dispose()
}

# --- check it as nopCommerce does, then list it ----------------------------------------------------------------------
$archive = [System.IO.Compression.ZipFile]::OpenRead($ZipPath)
try {
    $roots = @($archive.Entries | ForEach-Object { $_.FullName.Split('/')[0] } | Sort-Object -Unique)
    if ($roots.Count -ne 1) { Fail "the archive must have exactly one root folder, found: $($roots -join ', ')" }
    if (-not ($archive.Entries | Where-Object { $_.FullName -ieq "$($roots[0])/plugin.json" })) { Fail "no $($roots[0])/plugin.json in the archive" }

    Write-Host "Package: $ZipPath"
    Write-Host ("{0,10}  {1}" -f 'Bytes', 'Entry')
    foreach ($entry in $archive.Entries | Sort-Object FullName) { Write-Host ("{0,10}  {1}" -f $entry.Length, $entry.FullName) }
    Write-Host "$($archive.Entries.Count) files in $($roots[0])/"
}
finally {
    $archive.Dispose()
}
exit 0
