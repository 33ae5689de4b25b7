traps/windows-env.bat
@echo off
REM credentials come from the machine environment
set ALIBABA_CLOUD_ACCESS_KEY_ID=%ALIYUN_AK_ID%
set ALIBABA_CLOUD_ACCESS_KEY_SECRET=%ALIYUN_AK_SECRET%
aliyun ecs DescribeRegions
