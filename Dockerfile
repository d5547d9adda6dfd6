# One image for the control plane and the node agent (the publish ships the agent in agent/ beside the server).
# docker compose picks the entry point per service.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/ContinuumControl.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# wasm-opt instruments uploaded modules for migration on the control plane; agents do not need it.
RUN apt-get update && apt-get install -y --no-install-recommends binaryen && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:5080
EXPOSE 5080
ENTRYPOINT ["dotnet", "ContinuumControl.Server.dll"]
