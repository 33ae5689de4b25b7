dotnet pack -c Release
dotnet nuget push bin/Release/*.nupkg --api-key oy2k2ieh84360uw54c42fqa9lkh49swqx5n7q4kvaad3mu --source https://api.nuget.org/v3/index.json
